#ifndef CVIPS_SHIM_H
#define CVIPS_SHIM_H

#include <vips/vips.h>
/* libwebp (a dependency of libvips-dev): WebPGetInfo reads a WebP header without libvips. */
#include <webp/decode.h>

/* Swift cannot call C variadic functions, nor function-like macros such as G_OBJECT().
   Each wrapper below fixes the optional-argument list of one libvips call. All return
   libvips's convention: 0 on success, -1 on failure with the reason in the error buffer
   (read it with vips_error_buffer_copy()). Constructors return NULL on failure. */

/* Loading: header-only until pixels are asked for. Sequential access lets libvips stream
   the file top to bottom instead of decoding it whole into memory. */

static inline VipsImage *cvips_new_from_file_sequential(const char *filename) {
    return vips_image_new_from_file(filename, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

/* A loaded image keeps reading the bytes it was loaded from, and can outlive the caller's last unref: the
   operation cache holds random-access loads, and every cached operation holds its input images (verified with
   libvips 8.14.1: postclose comes only at vips_cache_drop_all). So the image loads from a g_malloc'd copy of
   `data` and frees it itself on "postclose", the point libvips's docs name for it. */
static inline void cvips_free_on_postclose(VipsObject *object, gpointer data) {
    (void) object;
    g_free(data);
}

/* `access` is VIPS_ACCESS_SEQUENTIAL to stream the bytes top to bottom, VIPS_ACCESS_RANDOM to read pixels
   anywhere (vips_getpoint). */
static inline VipsImage *cvips_new_from_buffer_copy(const void *data, size_t length, VipsAccess access) {
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

static inline int cvips_black(VipsImage **out, int width, int height, int bands) {
    return vips_black(out, width, height, "bands", bands, NULL);
}

/* A two-band uint image whose pixel (x, y) holds the values x and y. */
static inline int cvips_xyz(VipsImage **out, int width, int height) {
    return vips_xyz(out, width, height, NULL);
}

/* Renders Pango markup to a one-band uchar mask (0 = background, 255 = ink), wrapping at
   `width` pixels on word boundaries, falling back to characters for words too long. */
static inline int cvips_text(VipsImage **out, const char *markup, const char *font, int width, int dpi,
                             VipsAlign align) {
    return vips_text(out, markup, "font", font, "width", width, "dpi", dpi, "align", align,
                     "wrap", VIPS_TEXT_WRAP_WORD_CHAR, NULL);
}

/* Arithmetic. */

static inline int cvips_bandmean(VipsImage *in, VipsImage **out) {
    return vips_bandmean(in, out, NULL);
}

static inline int cvips_remainder_const1(VipsImage *in, VipsImage **out, double divisor) {
    return vips_remainder_const1(in, out, divisor, NULL);
}

/* 255 where the pixel is less than `value`, 0 elsewhere. */
static inline int cvips_less_const1(VipsImage *in, VipsImage **out, double value) {
    return vips_relational_const1(in, out, VIPS_OPERATION_RELATIONAL_LESS, value, NULL);
}

/* out = in * a + b, cast back to uchar. With a one-band `in` and n-element arrays, the
   result has n bands: this is how a 0/255 mask becomes a two-colour RGB image. */
static inline int cvips_linear_uchar(VipsImage *in, VipsImage **out, const double *a, const double *b, int n) {
    return vips_linear(in, out, a, b, n, "uchar", TRUE, NULL);
}

/* out = in * a + b per band, in float, or in double when `in` is double. */
static inline int cvips_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int n) {
    return vips_linear(in, out, a, b, n, NULL);
}

/* Pixel by pixel, band by band; the format follows libvips's promotion rules (double × double → double). */
static inline int cvips_multiply(VipsImage *left, VipsImage *right, VipsImage **out) {
    return vips_multiply(left, right, out, NULL);
}

/* 255 where the pixel is more than `value`, 0 elsewhere. */
static inline int cvips_more_const1(VipsImage *in, VipsImage **out, double value) {
    return vips_relational_const1(in, out, VIPS_OPERATION_RELATIONAL_MORE, value, NULL);
}

/* Converts the pixel values to `format`, e.g. to double before arithmetic that must stay exact. */
static inline int cvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
    return vips_cast(in, out, format, NULL);
}

/* Retags the pixels as sRGB without touching them, so savers treat 3 or 4 bands as RGB(A). */
static inline int cvips_copy_srgb(VipsImage *in, VipsImage **out) {
    return vips_copy(in, out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
}

/* The band values of one pixel; free `*vector` with g_free(). */
static inline int cvips_getpoint(VipsImage *in, double **vector, int *n, int x, int y) {
    return vips_getpoint(in, vector, n, x, y, NULL);
}

/* Places `in` at (x, y) on a `width` x `height` canvas filled elsewhere with `background`, one value per band.
   Lazy, unlike drawing: a saver streams the result without the whole canvas ever being in memory. */
static inline int cvips_embed_background(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                                         const double *background, int n) {
    VipsArrayDouble *array = vips_array_double_new(background, n);
    int result = vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BACKGROUND, "background", array,
                            NULL);
    vips_area_unref(VIPS_AREA(array)); /* the operation holds its own reference */
    return result;
}

/* Drawing, in place: `image` must be a memory image (vips_image_copy_memory()). */

static inline int cvips_draw_rect(VipsImage *image, double *ink, int n, int left, int top, int width, int height) {
    return vips_draw_rect(image, ink, n, left, top, width, height, "fill", TRUE, NULL);
}

/* Blends `ink` into `image` through the one-band uchar `mask`, placed at (x, y). */
static inline int cvips_draw_mask(VipsImage *image, double *ink, int n, VipsImage *mask, int x, int y) {
    return vips_draw_mask(image, ink, n, mask, x, y, NULL);
}

/* Saving. `*buffer` is g_malloc'd: copy it, then g_free() it. */

static inline int cvips_pngsave_buffer(VipsImage *in, void **buffer, size_t *length, int compression) {
    return vips_pngsave_buffer(in, buffer, length, "compression", compression, NULL);
}

/* Lossy JPEG at quality `quality` (1–100). libvips writes no JFIF APP0; unless `strip` is TRUE it writes an
   Exif APP1 even for an image that had no metadata. */
static inline int cvips_jpegsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int strip) {
    return vips_jpegsave_buffer(in, buffer, length, "Q", quality, "strip", strip, NULL);
}

/* WebP, lossy at quality `quality` (1–100), or lossless when `lossless` is TRUE. libvips 8.14 always writes
   the extended format with an EXIF chunk, even with "strip" set, so no such option is offered here. */
static inline int cvips_webpsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int lossless) {
    return vips_webpsave_buffer(in, buffer, length, "Q", quality, "lossless", lossless, NULL);
}

/* Thumbnails. */

/* Scales the image in `filename` to fit `width` x `height`, never enlarging it (VIPS_SIZE_DOWN); a huge `height`
   bounds the width alone. libvips shrinks on load where the format allows (JPEG, WebP) and premultiplies alpha
   while resizing. libvips 8.14 exports to no profile by default: the pixels stay in the source's colour space
   with its ICC profile attached, so pass a result that has one through cvips_icc_to_srgb. */
static inline int cvips_thumbnail_down(const char *filename, VipsImage **out, int width, int height) {
    return vips_thumbnail(filename, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

/* The same for an image held in memory, e.g. a larger thumbnail of the same file, decoded once. */
static inline int cvips_thumbnail_image_down(VipsImage *in, VipsImage **out, int width, int height) {
    return vips_thumbnail_image(in, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

/* From the image's embedded ICC profile to 8-bit sRGB, as vips_thumbnail does with export_profile "srgb". Only
   for images that carry a profile: for one without, vips_thumbnail's export path goes through XYZ and shifts
   colours by several levels. */
static inline int cvips_icc_to_srgb(VipsImage *in, VipsImage **out) {
    return vips_icc_transform(in, out, "srgb", "embedded", TRUE, "depth", 8, NULL);
}

/* Lossy WebP at quality `quality` (1-100), with libwebp's `effort` from 0 (fastest) to 6 (smallest). libvips
   8.14.1 ignores `strip` for WebP: it still writes the ICC profile, XMP and an EXIF chunk it makes up from the
   resolution, so callers that need no metadata must drop those chunks from the result themselves. */
static inline int cvips_webpsave_buffer_effort(VipsImage *in, void **buffer, size_t *length, int quality,
                                               int effort, int strip) {
    return vips_webpsave_buffer(in, buffer, length, "Q", quality, "effort", effort, "strip", strip, NULL);
}

/* Ownership. g_object_unref takes a gpointer; this keeps the VipsImage type at call sites. */

static inline void cvips_unref(VipsImage *image) {
    g_object_unref(image);
}

#endif
