#include "easel_file_look.h"

#include <fcntl.h>
#include <sys/stat.h>

static void easel_fill(const struct stat *info, easel_file_look *look) {
    look->mode = (uint32_t)info->st_mode;
    switch (info->st_mode & S_IFMT) {
    case S_IFREG: look->kind = 1; break;
    case S_IFDIR: look->kind = 2; break;
    case S_IFLNK: look->kind = 3; break;
    default: look->kind = 4; break;
    }
    look->device = (uint64_t)info->st_dev;
    look->inode = (uint64_t)info->st_ino;
    look->size = (int64_t)info->st_size;
#if defined(__APPLE__)
    look->modified_ns = (int64_t)info->st_mtimespec.tv_sec * 1000000000 + info->st_mtimespec.tv_nsec;
    look->changed_ns = (int64_t)info->st_ctimespec.tv_sec * 1000000000 + info->st_ctimespec.tv_nsec;
#else
    look->modified_ns = (int64_t)info->st_mtim.tv_sec * 1000000000 + info->st_mtim.tv_nsec;
    look->changed_ns = (int64_t)info->st_ctim.tv_sec * 1000000000 + info->st_ctim.tv_nsec;
#endif
}

int easel_lstat(const char *path, easel_file_look *look) {
    struct stat info;
    if (lstat(path, &info) != 0) return -1;
    easel_fill(&info, look);
    return 0;
}

int easel_fstat(int fd, easel_file_look *look) {
    struct stat info;
    if (fstat(fd, &info) != 0) return -1;
    easel_fill(&info, look);
    return 0;
}

int easel_set_times(const char *path, int64_t modified_ns) {
    struct timespec times[2];
    times[0].tv_sec = (time_t)(modified_ns / 1000000000);
    times[0].tv_nsec = (long)(modified_ns % 1000000000);
    times[1] = times[0];
    return utimensat(AT_FDCWD, path, times, 0);
}

int easel_fstatat_nofollow(int folder, const char *name, easel_file_look *look) {
    struct stat info;
    if (fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) != 0) return -1;
    easel_fill(&info, look);
    return 0;
}
