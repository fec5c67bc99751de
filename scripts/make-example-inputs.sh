#!/usr/bin/env bash
# Draws the example gallery's input images with the `vips` command-line tool (Debian: libvips-tools):
#
#   inputs/kolochava.png        1024×1024 "photo" of a Carpathian village at golden hour (edit source)
#   inputs/kolochava-mask.png   1024×1024 RGBA mask: transparent over the upper-left sky, where the
#                               Death Star goes (OpenAI's convention: transparent = the area to edit)
#   inputs/lighthouse.png       1024×1024 lighthouse on a cliff at dusk (variation source)
#
# Flat shapes keep each PNG small. The output is the same on every run of
# the same libvips version, so re-running it changes no committed file (and so no cache key).
#
# Usage: scripts/make-example-inputs.sh [OUTPUT_DIR]    (default: the repository's inputs/)
set -euo pipefail

command -v vips >/dev/null || { echo "error: vips not found; apt-get install -y libvips-tools" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-"$here/../inputs"}
mkdir -p "$out"
out=$(cd "$out" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
size=1024

# vips reads a negative number as an option unless it follows "--", hence `vips OP -- ARGS` below.

# Pixel coordinates, shared by every drawing: x.v and y.v hold each pixel's column and row.
vips xyz "$tmp/xyz.v" $size $size
vips extract_band "$tmp/xyz.v" "$tmp/x.v" 0
vips extract_band "$tmp/xyz.v" "$tmp/y.v" 1

# gradient OUT TOP_RGB BOTTOM_RGB FROM_Y TO_Y: vertical blend from TOP at FROM_Y to BOTTOM at TO_Y.
gradient() {
    local a b
    a=$(awk -v t="$2" -v u="$3" -v f="$4" -v e="$5" 'BEGIN { split(t, p); split(u, q);
        for (i = 1; i <= 3; i++) printf "%s%.6f", (i > 1 ? " " : ""), (q[i] - p[i]) / (e - f) }')
    b=$(awk -v t="$2" -v u="$3" -v f="$4" -v e="$5" 'BEGIN { split(t, p); split(u, q);
        for (i = 1; i <= 3; i++) printf "%s%.6f", (i > 1 ? " " : ""), p[i] - (q[i] - p[i]) / (e - f) * f }')
    vips linear "$tmp/y.v" "$tmp/g.v" "$a" "$b" --uchar
    vips copy "$tmp/g.v" "$1" --interpretation srgb
}

# ridge OUT BASE A1 F1 P1 A2 F2 P2: 255 below the line y = BASE + A1 sin(F1 x + P1) + A2 sin(F2 x + P2)
# (degrees), 0 above it. Two sines make an uneven mountain skyline.
ridge() {
    vips linear "$tmp/x.v" "$tmp/t1.v" "$4" "$5"
    vips math "$tmp/t1.v" "$tmp/s1.v" sin
    vips linear "$tmp/x.v" "$tmp/t2.v" "$7" "$8"
    vips math "$tmp/t2.v" "$tmp/s2.v" sin
    vips linear "$tmp/s1.v" "$tmp/c1.v" "$3" "$2"
    vips linear "$tmp/s2.v" "$tmp/c2.v" "$6" 0
    vips add "$tmp/c1.v" "$tmp/c2.v" "$tmp/curve.v"
    vips relational "$tmp/y.v" "$tmp/curve.v" "$1" moreeq
}

# triangle OUT WIDTH HEIGHT [TOP_WIDTH]: 255 inside an upright triangle (a trapezoid when TOP_WIDTH > 0).
triangle() {
    local w=$2 h=$3 top=${4:-0}
    vips xyz "$tmp/txyz.v" "$w" "$h"
    vips extract_band "$tmp/txyz.v" "$tmp/tx.v" 0
    vips extract_band "$tmp/txyz.v" "$tmp/ty.v" 1
    # Inside when |x - w/2| <= top/2 + y (w - top) / (2h).
    vips linear -- "$tmp/tx.v" "$tmp/dx.v" 1 "-$(awk -v w="$w" 'BEGIN { print (w - 1) / 2 }')"
    vips abs "$tmp/dx.v" "$tmp/adx.v"
    vips linear "$tmp/ty.v" "$tmp/lim.v" "$(awk -v w="$w" -v t="$top" -v h="$h" 'BEGIN { print (w - t) / (2 * h) }')" \
        "$(awk -v t="$top" 'BEGIN { print t / 2 + 0.5 }')"
    vips relational "$tmp/adx.v" "$tmp/lim.v" "$1" lesseq
}

# save IN OUT: an opaque RGBA PNG (alpha 255 everywhere), maximum zlib effort, no metadata.
# RGBA rather than RGB or a palette because the legacy dall-e-2 edit endpoint rejects any other
# PNG mode ("format must be in ['RGBA', 'LA', 'L']"); flat shapes keep it small all the same.
save() {
    vips bandjoin_const "$1" "$tmp/opaque.v" 255
    vips copy "$tmp/opaque.v" "$2[compression=9,strip]"
}

kolochava() {
    local c="$tmp/village.v"
    gradient "$c" "58 62 128" "255 178 102" 0 620          # violet zenith to amber horizon
    # The low sun, with flat rings of glow.
    vips draw_circle "$c" "250 190 118" 770 560 150 --fill
    vips draw_circle "$c" "252 208 136" 770 560 104 --fill
    vips draw_circle "$c" "255 244 206" 770 560 66 --fill
    # Three ranges, hazy far to dark near: the Carpathian ridges.
    ridge "$tmp/far.v" 540 38 0.55 20 18 1.7 80
    vips draw_mask "$c" "176 128 150" "$tmp/far.v" 0 0
    ridge "$tmp/mid.v" 640 46 0.38 200 20 1.3 10
    vips draw_mask "$c" "92 96 110" "$tmp/mid.v" 0 0
    ridge "$tmp/near.v" 760 34 0.30 120 12 0.9 40
    vips draw_mask "$c" "70 92 58" "$tmp/near.v" 0 0
    # A warm-lit meadow in front, where the village stands.
    ridge "$tmp/meadow.v" 862 16 0.25 300 6 0.8 0
    vips draw_mask "$c" "150 142 64" "$tmp/meadow.v" 0 0
    # Spruces on the middle and near slopes.
    triangle "$tmp/spruce.v" 26 64
    local x y
    for x in 24 70 118 150 196 560 606 640 688 724 930 978; do
        y=$(awk -v x="$x" 'BEGIN { pi = atan2(0, -1); print int(760 + 34 * sin((0.30 * x + 120) * pi / 180) + 12 * sin((0.9 * x + 40) * pi / 180)) - 52 }')
        vips draw_mask "$c" "34 52 38" "$tmp/spruce.v" "$x" "$y"
    done
    # Houses: whitewashed walls, steep dark roofs, lit windows; and a wooden church with a spire.
    triangle "$tmp/roof.v" 120 64
    local house hx hy
    for house in "150 880" "300 902" "452 876" "610 906" "842 884"; do
        read -r hx hy <<<"$house"
        vips draw_rect "$c" "232 214 184" "$hx" "$hy" 96 62 --fill
        vips draw_mask "$c" "120 52 40" "$tmp/roof.v" $((hx - 12)) $((hy - 62))
        vips draw_rect "$c" "255 206 92" $((hx + 16)) $((hy + 18)) 18 18 --fill
        vips draw_rect "$c" "255 206 92" $((hx + 60)) $((hy + 18)) 18 18 --fill
        vips draw_rect "$c" "96 64 42" $((hx + 38)) $((hy + 28)) 20 34 --fill
    done
    vips draw_rect "$c" "110 74 46" 716 836 70 110 --fill
    triangle "$tmp/spire.v" 44 110
    vips draw_mask "$c" "62 44 34" "$tmp/spire.v" 729 726
    vips draw_rect "$c" "190 168 80" 745 720 12 12 --fill
    vips draw_rect "$c" "255 206 92" 742 870 18 30 --fill
    # A dirt road winding to the foreground.
    vips draw_rect "$c" "176 150 104" 0 990 1024 34 --fill
    save "$c" "$out/kolochava.png"
}

kolochava_mask() {
    # Opaque black everywhere; a transparent disc in the upper-left sky, clear of the sun and hills.
    vips black "$tmp/rgb.v" $size $size --bands 3
    vips black "$tmp/a0.v" $size $size
    vips linear "$tmp/a0.v" "$tmp/alpha.v" 0 255 --uchar
    vips draw_circle "$tmp/alpha.v" 0 330 250 210 --fill
    vips bandjoin "$tmp/rgb.v $tmp/alpha.v" "$tmp/rgba.v"
    vips copy "$tmp/rgba.v" "$tmp/mask.v" --interpretation srgb
    vips copy "$tmp/mask.v" "$out/kolochava-mask.png[compression=9,strip]"
}

lighthouse() {
    local c="$tmp/coast.v"
    gradient "$c" "24 26 70" "236 128 120" 0 700           # indigo dusk to a pink afterglow
    local star
    for star in "120 90" "430 70" "610 130" "900 40" "940 330" "690 40" "560 300" "990 150" "80 330"; do
        # shellcheck disable=SC2086
        vips draw_circle "$c" "244 240 220" $star 2 --fill
    done
    vips draw_circle "$c" "250 236 200" 800 92 34 --fill    # the moon, and a disc of sky: a crescent
    vips draw_circle "$c" "48 36 76" 816 82 30 --fill
    # The sea, with a few flat highlights.
    vips draw_rect "$c" "34 46 92" 0 700 1024 324 --fill
    local line x y w
    for line in "600 730 260" "700 780 220" "520 840 380" "640 900 300" "560 960 420"; do
        read -r x y w <<<"$line"
        vips draw_rect "$c" "120 96 140" "$x" "$y" "$w" 4 --fill
    done
    # Two beams from the lantern at (270, 216): a triangle on its side, drawn at 22 % over the sky.
    triangle "$tmp/beam.v" 150 620
    vips rot "$tmp/beam.v" "$tmp/right.v" d270
    vips linear "$tmp/right.v" "$tmp/rightf.v" 0.22 0 --uchar
    vips draw_mask "$c" "255 236 160" "$tmp/rightf.v" 270 141
    vips rot "$tmp/beam.v" "$tmp/left.v" d90
    vips linear "$tmp/left.v" "$tmp/leftf.v" 0.22 0 --uchar
    vips draw_mask -- "$c" "255 236 160" "$tmp/leftf.v" -350 141
    # The tower: a white trapezoid with red bands, a gallery, the lit lantern, a dome. Its foot
    # goes below the cliff top, which is drawn over it.
    triangle "$tmp/tower.v" 110 360 60
    vips draw_mask "$c" "236 232 224" "$tmp/tower.v" 215 250
    local band
    for band in 300 400 500; do
        vips extract_area "$tmp/tower.v" "$tmp/band.v" 0 $((band - 250)) 110 48
        vips draw_mask "$c" "196 44 44" "$tmp/band.v" 215 "$band"
    done
    vips draw_rect "$c" "40 36 40" 226 238 88 12 --fill     # gallery
    vips draw_rect "$c" "255 236 150" 240 194 60 44 --fill  # lantern
    vips draw_rect "$c" "40 36 40" 240 194 60 4 --fill
    triangle "$tmp/dome.v" 76 34
    vips draw_mask "$c" "150 36 36" "$tmp/dome.v" 232 160
    # The cliff: a rolling headland whose face slants out to the sea below the lighthouse.
    ridge "$tmp/top.v" 590 16 0.45 30 8 1.4 0
    vips linear "$tmp/y.v" "$tmp/face.v" 0.35 420
    vips relational "$tmp/x.v" "$tmp/face.v" "$tmp/land.v" less
    vips boolean "$tmp/top.v" "$tmp/land.v" "$tmp/cliff.v" and
    vips draw_mask "$c" "78 84 60" "$tmp/cliff.v" 0 0
    # Bare rock below a strip of grass: the same outline a few pixels lower.
    ridge "$tmp/rock.v" 600 16 0.45 30 8 1.4 0
    vips boolean "$tmp/rock.v" "$tmp/land.v" "$tmp/rockland.v" and
    vips draw_mask "$c" "52 40 44" "$tmp/rockland.v" 0 0
    vips draw_rect "$c" "255 214 120" 260 566 20 28 --fill  # the lit doorway
    save "$c" "$out/lighthouse.png"
}

kolochava
kolochava_mask
lighthouse

for file in kolochava.png kolochava-mask.png lighthouse.png; do
    printf '%-20s %7d bytes  %s\n' "$file" "$(stat -c %s "$out/$file")" "$(vipsheader "$out/$file")"
done
