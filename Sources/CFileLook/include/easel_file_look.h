#ifndef EASEL_FILE_LOOK_H
#define EASEL_FILE_LOOK_H

#include <stdint.h>

/// What `lstat`, `fstat` or `fstatat` says of a file, in Easel's own struct: Swift code reading
/// `struct stat` itself had its members attributed to whichever C module included <sys/stat.h>
/// first (CDispatch, CoreFoundation, SwiftNIO's CNIOLinux), and member import visibility then
/// failed the build whenever that changed. No module but this one declares this struct.
typedef struct {
    uint32_t mode;
    /// 1 a regular file, 2 a directory, 3 a symbolic link, 4 anything else.
    int32_t kind;
    uint64_t device;
    uint64_t inode;
    int64_t size;
    /// Modification and status change times, in nanoseconds since 1970.
    int64_t modified_ns;
    int64_t changed_ns;
} easel_file_look;

/// `lstat(path)`: 0, or -1 with errno set.
int easel_lstat(const char *path, easel_file_look *look);

/// `fstat(fd)`: 0, or -1 with errno set.
int easel_fstat(int fd, easel_file_look *look);

/// `fstatat(folder, name, AT_SYMLINK_NOFOLLOW)`: 0, or -1 with errno set.
int easel_fstatat_nofollow(int folder, const char *name, easel_file_look *look);

/// Sets the access and modification times of `path` to `modified_ns` (nanoseconds since 1970),
/// as `utimensat` does: 0, or -1 with errno set. For tests that edit a file in place.
int easel_set_times(const char *path, int64_t modified_ns);

#endif
