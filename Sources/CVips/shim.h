#ifndef CVIPS_SHIM_H
#define CVIPS_SHIM_H

/* libvips's declarations, for the types and constants CVipsLoader's wrappers take. Swift calls no libvips
   function directly: CVipsLoader opens libvips when an image is first made (see cvips_loader.h). */
#include <vips/vips.h>
/* libwebp (a dependency of libvips-dev, and a small library linked as usual): WebPGetInfo reads a WebP
   header without libvips. */
#include <webp/decode.h>

#endif
