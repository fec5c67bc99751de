#include "cvips_loader.h"

#include <dlfcn.h>
#include <stdio.h>

/* Every libvips, GObject and GLib function Easel calls, resolved from libvips.so.42 (dlsym on its handle
   also finds the GLib functions, through libvips's own dependencies). Each gets a pointer of exactly its
   declared type, and a macro after the list sends the calls below through that pointer, so the wrappers read
   like ordinary libvips code and the compiler checks them against <vips/vips.h>. */
#define CVIPS_FUNCTIONS(X)                                                                                    \
    X(vips_init)                                                                                              \
    X(vips_error_buffer_copy)                                                                                 \
    X(g_free)                                                                                                 \
    X(g_strfreev)                                                                                             \
    X(g_memdup2)                                                                                              \
    X(g_object_unref)                                                                                         \
    X(g_signal_connect_data)                                                                                  \
    X(vips_image_new_from_file)                                                                               \
    X(vips_image_new_from_buffer)                                                                             \
    X(vips_black)                                                                                             \
    X(vips_xyz)                                                                                               \
    X(vips_text)                                                                                              \
    X(vips_bandmean)                                                                                          \
    X(vips_remainder_const1)                                                                                  \
    X(vips_relational_const1)                                                                                 \
    X(vips_linear)                                                                                            \
    X(vips_multiply)                                                                                          \
    X(vips_cast)                                                                                              \
    X(vips_copy)                                                                                              \
    X(vips_getpoint)                                                                                          \
    X(vips_array_double_new)                                                                                  \
    X(vips_area_unref)                                                                                        \
    X(vips_embed)                                                                                             \
    X(vips_draw_rect)                                                                                         \
    X(vips_draw_mask)                                                                                         \
    X(vips_pngsave_buffer)                                                                                    \
    X(vips_jpegsave_buffer)                                                                                   \
    X(vips_webpsave_buffer)                                                                                   \
    X(vips_thumbnail)                                                                                         \
    X(vips_thumbnail_image)                                                                                   \
    X(vips_icc_transform)                                                                                     \
    X(vips_image_get_width)                                                                                   \
    X(vips_image_get_height)                                                                                  \
    X(vips_image_hasalpha)                                                                                    \
    X(vips_image_get_string)                                                                                  \
    X(vips_image_get_fields)                                                                                  \
    X(vips_image_get_typeof)                                                                                  \
    X(vips_image_get_as_string)                                                                               \
    X(vips_image_get_blob)                                                                                    \
    X(vips_image_copy_memory)                                                                                 \
    X(vips_image_write_to_memory)

#define CVIPS_POINTER(name) static __typeof__(name) *cvips_p_##name;
CVIPS_FUNCTIONS(CVIPS_POINTER)
#undef CVIPS_POINTER

/* The soname Debian's libvips42 installs (libvips's ABI major version), then the unversioned name a
   development install has. */
static const char *const cvips_library_names[] = {"libvips.so.42", "libvips.so", "libvips.42.dylib", "libvips.dylib"};

int cvips_start(const char *argv0, char *reason, size_t length) {
    void *library = NULL;
    for (size_t i = 0; library == NULL && i < sizeof cvips_library_names / sizeof *cvips_library_names; i++) {
        library = dlopen(cvips_library_names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        const char *error = dlerror();
        snprintf(reason, length, "cannot load libvips (%s); install it with: apt-get install libvips42",
                 error != NULL ? error : "not found");
        return -1;
    }
#define CVIPS_RESOLVE(name)                                                                                   \
    cvips_p_##name = (__typeof__(name) *)dlsym(library, #name);                                               \
    if (cvips_p_##name == NULL) {                                                                             \
        snprintf(reason, length, "libvips has no function %s: it is older than 8.14", #name);                  \
        return -1;                                                                                            \
    }
    CVIPS_FUNCTIONS(CVIPS_RESOLVE)
#undef CVIPS_RESOLVE
    if (cvips_p_vips_init(argv0) != 0) {
        char *error = cvips_p_vips_error_buffer_copy();
        snprintf(reason, length, "libvips did not start: %s", error != NULL ? error : "no reason given");
        cvips_p_g_free(error);
        return -1;
    }
    return 0;
}

/* From here on, every call to a listed function goes through its pointer, macros such as g_signal_connect
   included (they expand to a listed function). */
#define vips_error_buffer_copy cvips_p_vips_error_buffer_copy
#define g_free cvips_p_g_free
#define g_strfreev cvips_p_g_strfreev
#define g_memdup2 cvips_p_g_memdup2
#define g_object_unref cvips_p_g_object_unref
#define g_signal_connect_data cvips_p_g_signal_connect_data
#define vips_image_new_from_file cvips_p_vips_image_new_from_file
#define vips_image_new_from_buffer cvips_p_vips_image_new_from_buffer
#define vips_black cvips_p_vips_black
#define vips_xyz cvips_p_vips_xyz
#define vips_text cvips_p_vips_text
#define vips_bandmean cvips_p_vips_bandmean
#define vips_remainder_const1 cvips_p_vips_remainder_const1
#define vips_relational_const1 cvips_p_vips_relational_const1
#define vips_linear cvips_p_vips_linear
#define vips_multiply cvips_p_vips_multiply
#define vips_cast cvips_p_vips_cast
#define vips_copy cvips_p_vips_copy
#define vips_getpoint cvips_p_vips_getpoint
#define vips_array_double_new cvips_p_vips_array_double_new
#define vips_area_unref cvips_p_vips_area_unref
#define vips_embed cvips_p_vips_embed
#define vips_draw_rect cvips_p_vips_draw_rect
#define vips_draw_mask cvips_p_vips_draw_mask
#define vips_pngsave_buffer cvips_p_vips_pngsave_buffer
#define vips_jpegsave_buffer cvips_p_vips_jpegsave_buffer
#define vips_webpsave_buffer cvips_p_vips_webpsave_buffer
#define vips_thumbnail cvips_p_vips_thumbnail
#define vips_thumbnail_image cvips_p_vips_thumbnail_image
#define vips_icc_transform cvips_p_vips_icc_transform
#define vips_image_get_width cvips_p_vips_image_get_width
#define vips_image_get_height cvips_p_vips_image_get_height
#define vips_image_hasalpha cvips_p_vips_image_hasalpha
#define vips_image_get_string cvips_p_vips_image_get_string
#define vips_image_get_fields cvips_p_vips_image_get_fields
#define vips_image_get_typeof cvips_p_vips_image_get_typeof
#define vips_image_get_as_string cvips_p_vips_image_get_as_string
#define vips_image_get_blob cvips_p_vips_image_get_blob
#define vips_image_copy_memory cvips_p_vips_image_copy_memory
#define vips_image_write_to_memory cvips_p_vips_image_write_to_memory

/* Errors and memory. */

char *cvips_error_buffer_copy(void) { return vips_error_buffer_copy(); }

void cvips_g_free(void *pointer) { g_free(pointer); }

void cvips_strfreev(char **strings) { g_strfreev(strings); }

void cvips_unref(VipsImage *image) { g_object_unref(image); }

/* Loading. */

VipsImage *cvips_new_from_file_sequential(const char *filename) {
    return vips_image_new_from_file(filename, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* A loaded image keeps reading the bytes it was loaded from, and can outlive the caller's last unref: the
   operation cache holds random-access loads, and every cached operation holds its input images (verified with
   libvips 8.14.1: postclose comes only at vips_cache_drop_all). So the image loads from a g_malloc'd copy of
   `data` and frees it itself on "postclose", the point libvips's docs name for it. */
static void cvips_free_on_postclose(VipsObject *object, gpointer data) {
    (void)object;
    g_free(data);
}

VipsImage *cvips_new_from_buffer_copy(const void *data, size_t length, VipsAccess access) {
    void *copy = g_memdup2(data, length);
    VipsImage *image = vips_image_new_from_buffer(copy, length, "", "access", access, NULL);
    if (image == NULL) {
        g_free(copy);
        return NULL;
    }
    g_signal_connect(image, "postclose", G_CALLBACK(cvips_free_on_postclose), copy);
    return image;
}

/* Creating. */

int cvips_black(VipsImage **out, int width, int height, int bands) {
    return vips_black(out, width, height, "bands", bands, NULL);
}

int cvips_xyz(VipsImage **out, int width, int height) { return vips_xyz(out, width, height, NULL); }

int cvips_text(VipsImage **out, const char *markup, const char *font, int width, int dpi, VipsAlign align) {
    return vips_text(out, markup, "font", font, "width", width, "dpi", dpi, "align", align, "wrap",
                     VIPS_TEXT_WRAP_WORD_CHAR, NULL);
}

/* Arithmetic. */

int cvips_bandmean(VipsImage *in, VipsImage **out) { return vips_bandmean(in, out, NULL); }

int cvips_remainder_const1(VipsImage *in, VipsImage **out, double divisor) {
    return vips_remainder_const1(in, out, divisor, NULL);
}

int cvips_less_const1(VipsImage *in, VipsImage **out, double value) {
    return vips_relational_const1(in, out, VIPS_OPERATION_RELATIONAL_LESS, value, NULL);
}

int cvips_more_const1(VipsImage *in, VipsImage **out, double value) {
    return vips_relational_const1(in, out, VIPS_OPERATION_RELATIONAL_MORE, value, NULL);
}

int cvips_linear_uchar(VipsImage *in, VipsImage **out, const double *a, const double *b, int n) {
    return vips_linear(in, out, a, b, n, "uchar", TRUE, NULL);
}

int cvips_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int n) {
    return vips_linear(in, out, a, b, n, NULL);
}

int cvips_multiply(VipsImage *left, VipsImage *right, VipsImage **out) {
    return vips_multiply(left, right, out, NULL);
}

int cvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) { return vips_cast(in, out, format, NULL); }

int cvips_copy_srgb(VipsImage *in, VipsImage **out) {
    return vips_copy(in, out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
}

int cvips_getpoint(VipsImage *in, double **vector, int *n, int x, int y) {
    return vips_getpoint(in, vector, n, x, y, NULL);
}

int cvips_embed_background(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                           const double *background, int n) {
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result =
        vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND, "background", array, NULL);
    vips_area_unref(VIPS_AREA(array)); /* the operation holds its own reference */
    return result;
}

/* Drawing. */

int cvips_draw_rect(VipsImage *image, double *ink, int n, int left, int top, int width, int height) {
    return vips_draw_rect(image, ink, n, left, top, width, height, "fill", TRUE, NULL);
}

int cvips_draw_mask(VipsImage *image, double *ink, int n, VipsImage *mask, int x, int y) {
    return vips_draw_mask(image, ink, n, mask, x, y, NULL);
}

/* Saving. */

int cvips_pngsave_buffer(VipsImage *in, void **buffer, size_t *length, int compression) {
    return vips_pngsave_buffer(in, buffer, length, "compression", compression, NULL);
}

int cvips_jpegsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int strip) {
    return vips_jpegsave_buffer(in, buffer, length, "Q", quality, "strip", strip, NULL);
}

int cvips_webpsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int lossless) {
    return vips_webpsave_buffer(in, buffer, length, "Q", quality, "lossless", lossless, NULL);
}

int cvips_webpsave_buffer_effort(VipsImage *in, void **buffer, size_t *length, int quality, int effort,
                                 int strip) {
    return vips_webpsave_buffer(in, buffer, length, "Q", quality, "effort", effort, "strip", strip, NULL);
}

/* Thumbnails. */

int cvips_thumbnail_down(const char *filename, VipsImage **out, int width, int height) {
    return vips_thumbnail(filename, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

int cvips_thumbnail_image_down(VipsImage *in, VipsImage **out, int width, int height) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

int cvips_icc_to_srgb(VipsImage *in, VipsImage **out) {
    return vips_icc_transform(in, out, "srgb", "embedded", TRUE, "depth", 8, NULL);
}

/* Header and fields. */

int cvips_image_get_width(const VipsImage *image) { return vips_image_get_width(image); }

int cvips_image_get_height(const VipsImage *image) { return vips_image_get_height(image); }

int cvips_image_hasalpha(VipsImage *image) { return vips_image_hasalpha(image); }

int cvips_image_get_string(const VipsImage *image, const char *name, const char **out) {
    return vips_image_get_string(image, name, out);
}

char **cvips_image_get_fields(VipsImage *image) { return vips_image_get_fields(image); }

int cvips_image_has_field(const VipsImage *image, const char *name) {
    return vips_image_get_typeof(image, name) != 0;
}

int cvips_image_get_as_string(const VipsImage *image, const char *name, char **out) {
    return vips_image_get_as_string(image, name, out);
}

int cvips_image_get_blob(const VipsImage *image, const char *name, const void **data, size_t *length) {
    return vips_image_get_blob(image, name, data, length);
}

VipsImage *cvips_image_copy_memory(VipsImage *image) { return vips_image_copy_memory(image); }

void *cvips_image_write_to_memory(VipsImage *image, size_t *length) {
    return vips_image_write_to_memory(image, length);
}
