#ifndef CVIPS_LOADER_H
#define CVIPS_LOADER_H

/* libvips, loaded when it is first needed.

   libvips 8.14 on Debian pulls in about a hundred shared libraries (ImageMagick, poppler, HEIF, OpenEXR, …);
   linking them costs every process about 40 ms and 20 MB before main() even when the build makes no thumbnail
   or placeholder (a no-op build, `easel check`, `easel serve` answering requests). So nothing here calls
   libvips directly: cvips_start() opens libvips.so.42 with dlopen() and resolves each function Easel uses, and
   every other function below calls through those pointers. The types and constants still come from
   <vips/vips.h>, so the compiler checks each call against the real declarations.

   Swift cannot call C variadic functions, nor function-like macros such as G_OBJECT(): each wrapper fixes the
   optional-argument list of one libvips call. All return libvips's convention: 0 on success, -1 on failure
   with the reason in the error buffer (read it with cvips_error_buffer_copy()). Constructors return NULL on
   failure. Call none of them before cvips_start() has returned 0. */

#include <stddef.h>
#include <vips/vips.h>

/* Opens libvips and resolves its functions, then runs vips_init(argv0). 0 on success; otherwise -1 with the
   reason (dlerror's text, or libvips's) in `reason`, truncated to `length` bytes. Not thread-safe: call it
   once, from a Swift `static let`. */
int cvips_start(const char *argv0, char *reason, size_t length);

/* Errors and memory. */
char *cvips_error_buffer_copy(void);
void cvips_g_free(void *pointer);
void cvips_strfreev(char **strings);
void cvips_unref(VipsImage *image);

/* Loading: header-only until pixels are asked for. Sequential access lets libvips stream the file top to
   bottom instead of decoding it whole into memory. */
VipsImage *cvips_new_from_file_sequential(const char *filename);
/* `access` is VIPS_ACCESS_SEQUENTIAL to stream the bytes top to bottom, VIPS_ACCESS_RANDOM to read pixels
   anywhere (vips_getpoint). The image reads from its own copy of `data`, freed when libvips closes it. */
VipsImage *cvips_new_from_buffer_copy(const void *data, size_t length, VipsAccess access);

/* Creating. */
int cvips_black(VipsImage **out, int width, int height, int bands);
/* A two-band uint image whose pixel (x, y) holds the values x and y. */
int cvips_xyz(VipsImage **out, int width, int height);
/* Renders Pango markup to a one-band uchar mask (0 = background, 255 = ink), wrapping at `width` pixels on
   word boundaries, falling back to characters for words too long. */
int cvips_text(VipsImage **out, const char *markup, const char *font, int width, int dpi, VipsAlign align);

/* Arithmetic. */
int cvips_bandmean(VipsImage *in, VipsImage **out);
int cvips_remainder_const1(VipsImage *in, VipsImage **out, double divisor);
/* 255 where the pixel is less than `value`, 0 elsewhere. */
int cvips_less_const1(VipsImage *in, VipsImage **out, double value);
/* 255 where the pixel is more than `value`, 0 elsewhere. */
int cvips_more_const1(VipsImage *in, VipsImage **out, double value);
/* out = in * a + b, cast back to uchar. With a one-band `in` and n-element arrays, the result has n bands:
   this is how a 0/255 mask becomes a two-colour RGB image. */
int cvips_linear_uchar(VipsImage *in, VipsImage **out, const double *a, const double *b, int n);
/* out = in * a + b per band, in float, or in double when `in` is double. */
int cvips_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int n);
/* Pixel by pixel, band by band; the format follows libvips's promotion rules (double × double → double). */
int cvips_multiply(VipsImage *left, VipsImage *right, VipsImage **out);
/* Converts the pixel values to `format`, e.g. to double before arithmetic that must stay exact. */
int cvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format);
/* Retags the pixels as sRGB without touching them, so savers treat 3 or 4 bands as RGB(A). */
int cvips_copy_srgb(VipsImage *in, VipsImage **out);
/* The band values of one pixel; free `*vector` with cvips_g_free(). */
int cvips_getpoint(VipsImage *in, double **vector, int *n, int x, int y);
/* Places `in` at (x, y) on a `width` x `height` canvas filled elsewhere with `background`, one value per band.
   Lazy, unlike drawing: a saver streams the result without the whole canvas ever being in memory. */
int cvips_embed_background(VipsImage *in, VipsImage **out, int x, int y, int width, int height,
                           const double *background, int n);

/* Drawing, in place: `image` must be a memory image (cvips_image_copy_memory()). */
int cvips_draw_rect(VipsImage *image, double *ink, int n, int left, int top, int width, int height);
/* Blends `ink` into `image` through the one-band uchar `mask`, placed at (x, y). */
int cvips_draw_mask(VipsImage *image, double *ink, int n, VipsImage *mask, int x, int y);

/* Saving. `*buffer` is g_malloc'd: copy it, then cvips_g_free() it. */
int cvips_pngsave_buffer(VipsImage *in, void **buffer, size_t *length, int compression);
/* Lossy JPEG at quality `quality` (1–100). libvips writes no JFIF APP0; unless `strip` is TRUE it writes an
   Exif APP1 even for an image that had no metadata. */
int cvips_jpegsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int strip);
/* WebP, lossy at quality `quality` (1–100), or lossless when `lossless` is TRUE. libvips 8.14 always writes
   the extended format with an EXIF chunk, even with "strip" set, so no such option is offered here. */
int cvips_webpsave_buffer(VipsImage *in, void **buffer, size_t *length, int quality, int lossless);
/* Lossy WebP at quality `quality` (1-100), with libwebp's `effort` from 0 (fastest) to 6 (smallest). libvips
   8.14.1 ignores `strip` for WebP: it still writes the ICC profile, XMP and an EXIF chunk it makes up from the
   resolution, so callers that need no metadata must drop those chunks from the result themselves. */
int cvips_webpsave_buffer_effort(VipsImage *in, void **buffer, size_t *length, int quality, int effort,
                                 int strip);

/* Thumbnails. */

/* Scales the image in `filename` to fit `width` x `height`, never enlarging it (VIPS_SIZE_DOWN); a huge `height`
   bounds the width alone. libvips shrinks on load where the format allows (JPEG, WebP) and premultiplies alpha
   while resizing. libvips 8.14 exports to no profile by default: the pixels stay in the source's colour space
   with its ICC profile attached, so pass a result that has one through cvips_icc_to_srgb. */
int cvips_thumbnail_down(const char *filename, VipsImage **out, int width, int height);
/* The same for an image held in memory, e.g. a larger thumbnail of the same file, decoded once. */
int cvips_thumbnail_image_down(VipsImage *in, VipsImage **out, int width, int height);
/* From the image's embedded ICC profile to 8-bit sRGB, as vips_thumbnail does with export_profile "srgb". Only
   for images that carry a profile: for one without, vips_thumbnail's export path goes through XYZ and shifts
   colours by several levels. */
int cvips_icc_to_srgb(VipsImage *in, VipsImage **out);

/* Reading an image's header and fields. */
int cvips_image_get_width(const VipsImage *image);
int cvips_image_get_height(const VipsImage *image);
int cvips_image_hasalpha(VipsImage *image);
/* vips_image_get_string: `*out` belongs to the image. */
int cvips_image_get_string(const VipsImage *image, const char *name, const char **out);
/* A NULL-terminated array of field names; free it with cvips_strfreev(). */
char **cvips_image_get_fields(VipsImage *image);
/* Nonzero when the image has the field `name`. */
int cvips_image_has_field(const VipsImage *image, const char *name);
/* Any field as text; free `*out` with cvips_g_free(). */
int cvips_image_get_as_string(const VipsImage *image, const char *name, char **out);
/* A blob field: `*data` belongs to the image. */
int cvips_image_get_blob(const VipsImage *image, const char *name, const void **data, size_t *length);
/* A copy of the image in memory, which can be drawn on. */
VipsImage *cvips_image_copy_memory(VipsImage *image);
/* The pixels, packed; free the result with cvips_g_free(). */
void *cvips_image_write_to_memory(VipsImage *image, size_t *length);

#endif
