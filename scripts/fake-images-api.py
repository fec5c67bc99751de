#!/usr/bin/env python3
"""A fake OpenAI-compatible Images API, for manual runs and benchmarks of Easel. Standard library only.

    python3 scripts/fake-images-api.py --port 8089 --latency 0.5 --jitter 0.2 --log /tmp/fake-api.jsonl
    OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=sk-test easel build

Serves under /v1:
  POST /images/generations   JSON body
  POST /images/edits         multipart/form-data: `image` or repeated `image[]`, optional `mask`, text fields
  POST /images/variations    multipart/form-data: `image`, `model` (dall-e-2 only), `n`, `size`, `response_format`
  GET  /files/<id>.png       images answered as URLs (legacy dall-e models), kept for 60 minutes

Answers look like OpenAI's: `created`, `data`, `size`, `quality`, `output_format`, `background`, `usage`
and an `x-request-id: req_…` header. Each image is a real PNG: a checkerboard in colours hashed from the
prompt (or from the input image for variations). The side is capped at 1024 pixels, scaled down keeping
the ratio, while `size` reports the size asked for ("auto" reports 1024x1024). The output is always a
PNG and reported as `"output_format": "png"` whatever was asked, and `background` is always "opaque".
`quality` echoes the request; "auto" reports "medium". Token counts are rough estimates.

Legacy models (`dall-e-*`) answer in the legacy dialect: no usage, `revised_prompt` on dall-e-3, and
`response_format` honoured with `url` as the default. A `gpt-image-*` model with `response_format` or
`style` gets a 400, as at OpenAI.

Errors have OpenAI's shape, {"error": {"message", "type", "param", "code"}}. A missing key or one that
differs from --key gets a 401 whose message echoes the key in full, as the real API does (useful for
testing that a client redacts it). --latency applies to requests that pass validation. The --log file
gets one JSON line per request and never holds the Authorization header or the key.

Hostile modes: `--hostile MODE` makes the server misbehave as a broken or malicious OpenAI-compatible
server would, on every POST to /images/*. `key-echo` and `redirect` answer before the key and the request
are checked; the other modes answer requests that pass them (the usual 400s and 401s still happen), after
--latency, with the usual JSON shape unless said otherwise:

  html           each b64_json is base64 of an HTML page with a <script>; "output_format": "png"
  wrong-format   real PNG bytes, but "output_format": "webp" whatever was asked
  other-format   bytes of another real format than the one asked, reported as the one asked: a 16x16 WebP
                 when png (or nothing) was asked, a 16x16 JPEG for webp, a PNG for jpeg, gif or svg
  svg            "output_format": "svg", each b64_json an SVG image holding a <script>
  key-echo       401 whose error.message, .code, .type and .param and whose headers x-request-id and
                 x-echo all hold the API key presented (Authorization: Bearer, or api-key), in full
  redirect       302 to http://127.0.0.2:<port><same path>: another host, on which the server also
                 listens (when --host is 127.0.0.1 or a wildcard) and where it answers normally without
                 asking for a key; every request arriving there is logged (stderr unless --quiet, and
                 --log) with whether it carried an Authorization or api-key header, never the value
  huge-body      200 with Content-Length 2147483648 (2 GiB), streaming `{"created":1,"data":[{"b64_json":
                 "AAAA…` in 1 MiB pieces up to that length, or until the client stops reading (60 s)
  giant-png      each image a valid 50000x50000 8-bit grayscale PNG of zero rows (2.5 GB of pixels in
                 2.4 MB), made once and kept in the system temp dir (fake-images-api-giant-*.png)
  lying-png      each image a PNG whose IHDR says 60000x60000 RGB but whose IDAT holds one row, then IEND
  big-images     n images (the request's n) of at most --image-mb MiB each (default 64, within 0.1 %),
                 valid RGB PNGs of random pixels stored uncompressed, so neither they nor their base64
                 shrink; made once at start-up, kept in memory with their base64, told apart by a tEXt
                 chunk; the body (n x 85 MiB of base64 at the default) is streamed in 1 MiB pieces with
                 an exact Content-Length, never built whole

The log records the mode of each answer and, for streamed bodies, the bytes actually sent.

Fixed images: `--images-from DIR` answers every image of a successful generation or edit with the bytes of
a file of DIR, unchanged, chosen by the `output_format` asked: `png` (or none) → DIR/signed.png, `jpeg` →
DIR/signed.jpg, `webp` → DIR/signed.webp; the answer reports that format ("png" when none was asked). The
files are read on each request, and a missing one gets a 500 naming it. Meant for the C2PA Content
Credentials fixtures of scripts/make-c2pa-fixtures.py (scripts/check-c2pa.sh): the bytes of a signed image
must reach the client exactly as signed. The pixel size of the files is what it is: `size` still reports the
size asked for. `gif` and `svg` (which OpenAI does not make) and variations still get a drawn PNG reported
as png. Validation, errors, latency, usage and the log are as without it. Not with --image-dir or --hostile.

Run `python3 scripts/fake-images-api.py --self-test` to check the server against itself.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import secrets
import struct
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SIDE = 1024
URL_LIFETIME = 60 * 60
TOKENS_PER_IMAGE = {"low": 272, "medium": 1056, "high": 4160, "xhigh": 8320, "max": 16640}
QUALITIES = {"auto", "low", "medium", "high", "xhigh", "max", "standard", "hd"}
FORMATS = {"png", "jpeg", "webp", "gif", "svg"}
MIB = 1 << 20
# --images-from: the file of DIR answered for each output_format asked (none asked: png).
IMAGES_FROM_FILES = {"png": "signed.png", "jpeg": "signed.jpg", "webp": "signed.webp"}
HOSTILE_MODES = ["html", "wrong-format", "other-format", "svg", "key-echo", "redirect", "huge-body", "giant-png",
                 "lying-png", "big-images"]
REDIRECT_HOST = "127.0.0.2"
HUGE_BODY_LENGTH = 2 << 30
GIANT_SIDE, LYING_SIDE = 50000, 60000
STREAM_TIMEOUT = 60  # seconds a streamed body may wait for a client that stopped reading
HTML_PAGE = b"<html><script>alert(1)</script></html>"
SVG_IMAGE = (b'<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><script>alert(1)</script>'
             b'<rect width="100%" height="100%" fill="#c05028"/></svg>')
# 16x16 images of one colour (200, 80, 40), made with libvips 8.14 and checked with vipsheader: a lossless
# WebP (RIFF + VP8L, no metadata) and a baseline JPEG.
TINY_WEBP = base64.b64decode("UklGRh4AAABXRUJQVlA4TBEAAAAvD8ADAAdQqCIXpf+BiOh/AAA=")
TINY_JPEG = base64.b64decode(
    "/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcH"
    "BwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEB"
    "AxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABgf/xAAUEQEA"
    "AAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCQAIqQ/9k=")


class APIError(Exception):
    def __init__(self, status, message, type_="invalid_request_error", param=None, code=None, headers=None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type_, param, code
        self.headers = headers or {}

    def body(self):
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


# PNG encoding ----------------------------------------------------------------------------------------


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(width, height, scanlines, colour_type=2):
    """`scanlines` holds each row with its leading filter byte; colour type 2 is RGB, 6 is RGBA."""
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    idat = zlib.compress(scanlines, 1)
    return PNG_SIGNATURE + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def picture(width, height, seed):
    """A checkerboard in two shades of a colour hashed from `seed`, built row by row (no pixel loop)."""
    digest = hashlib.sha256(seed).digest()
    base = bytes(48 + b % 144 for b in digest[:3])
    light = bytes(c + 64 for c in base)
    block = 16 << (digest[3] % 3)

    def row(first, second):
        tile = first * block + second * block
        return b"\x00" + (tile * (width // (2 * block) + 1))[: 3 * width]

    rows = (row(base, light), row(light, base))
    return encode_png(width, height, b"".join(rows[(y // block) % 2] for y in range(height)))


def png_info(data):
    """(width, height, colour type) of PNG bytes, or None when they are not a PNG."""
    if len(data) < 26 or not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25]


# Hostile pictures ------------------------------------------------------------------------------------


def png_header(width, height, colour_type):
    return PNG_SIGNATURE + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))


def idat_chunks(data, size=MIB):
    return b"".join(png_chunk(b"IDAT", data[i:i + size]) for i in range(0, len(data), size))


def zero_adler32(length):
    """Adler-32 of `length` zero bytes: the running sum stays 1, the sum of sums is the length."""
    return (length % 65521) << 16 | 1


GIANT_LOCK = threading.Lock()


def giant_png(side=GIANT_SIDE):
    """A valid side x side 8-bit grayscale PNG of zero rows (side² bytes of pixels), kept in the temp dir.

    The rows go through zlib.compressobj in pieces of equal rows, each ended by a full flush, which makes
    each piece's compressed form self-contained (decompression may start at it); all the pieces being the
    same zero rows, one compressed piece is written as many times as needed, then an empty final block and
    the Adler-32. So the file takes under a second to make, and nothing near side² bytes is ever held."""
    path = os.path.join(tempfile.gettempdir(), f"fake-images-api-giant-{side}x{side}-gray8-v1.png")
    with GIANT_LOCK:
        if not os.path.exists(path):
            row = side + 1  # the filter byte, then the pixels
            piece_rows = next(r for r in range(min(side, 500), 0, -1) if side % r == 0)
            pieces = side // piece_rows
            zeros = bytes(row * piece_rows)
            compressor = zlib.compressobj(9)
            first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)  # with the zlib header
            again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH) if pieces > 1 else b""
            stream = (first + again * (pieces - 1) + b"\x01\x00\x00\xff\xff"  # final stored block, empty
                      + struct.pack(">I", zero_adler32(row * side)))
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "wb") as out:
                out.write(png_header(side, side, 0) + idat_chunks(stream) + png_chunk(b"IEND", b""))
            os.replace(temporary, path)
        with open(path, "rb") as f:
            return f.read()


def lying_png(side=LYING_SIDE):
    """A PNG whose IHDR says side x side RGB but whose IDAT holds a single row of pixels."""
    return (png_header(side, side, 2) + png_chunk(b"IDAT", zlib.compress(bytes(1 + 3 * side), 9))
            + png_chunk(b"IEND", b""))


class Stream:
    """A body of `length` bytes written piece by piece from the iterable `pieces`."""

    def __init__(self, length, pieces):
        self.length, self.pieces = length, pieces


def huge_body(length=HUGE_BODY_LENGTH):
    head = b'{"created":1,"data":[{"b64_json":"'
    filler = b"A" * MIB

    def pieces():
        yield head
        left = length - len(head)
        while left > 0:
            yield filler[:left] if left < len(filler) else filler
            left -= len(filler)

    return Stream(length, pieces())


class BigImages:
    """RGB PNGs of random pixels of at most `megabytes` MiB each, for the memory benchmark.

    The pixels are stored, not compressed (deflate's stored blocks, written here), so the PNG is as large as
    its pixels and neither it nor its base64 shrinks. Made once: the IDAT and IEND chunks are kept only as
    base64. Each image starts with the signature, IHDR and a tEXt chunk naming the request and the image
    (so no two images are the same bytes), 3 x 40 bytes long, so that the base64 of the kept part can follow
    the base64 of that start unchanged."""

    WIDTH = 4096
    TEXT_LENGTH = 3 * 40 - 45  # 33 (signature, IHDR) + 12 (tEXt's length, type, CRC) + the text = 120
    BLOCK = 65535

    def __init__(self, megabytes):
        row = 1 + 3 * self.WIDTH
        limit = int(megabytes * MIB)

        def png_size(rows):
            raw = rows * row
            deflate = 2 + raw + 5 * -(-raw // self.BLOCK) + 4
            return 33 + 12 + self.TEXT_LENGTH + deflate + 12 * -(-deflate // MIB) + 12

        rows = max(1, limit // row)
        while rows > 1 and png_size(rows) > limit:
            rows -= 1
        self.width, self.height, self.size = self.WIDTH, rows, png_size(rows)
        raw = bytearray(os.urandom(rows * row))
        raw[::row] = bytes(rows)  # filter type 0 on every row
        deflate = bytearray(b"\x78\x01")
        for start in range(0, len(raw), self.BLOCK):
            block = raw[start:start + self.BLOCK]
            last = start + self.BLOCK >= len(raw)
            deflate += struct.pack("<BHH", last, len(block), 0xFFFF ^ len(block)) + block
        deflate += struct.pack(">I", zlib.adler32(raw))
        del raw
        tail = idat_chunks(deflate) + png_chunk(b"IEND", b"")
        del deflate
        self.tail_b64 = base64.b64encode(tail)
        self.head = png_header(self.width, self.height, 2)
        assert len(self.head) == 33 and self.size == 33 + 12 + self.TEXT_LENGTH + len(tail), (self.size, len(tail))

    def start_b64(self, label):
        text = b"Comment\0" + label.encode()[: self.TEXT_LENGTH - 8].ljust(self.TEXT_LENGTH - 8)
        return base64.b64encode(self.head + png_chunk(b"tEXt", text))

    def body(self, answer, n, label):
        """`answer` (a dict whose "data" is empty) as JSON, with n images in "data", as a Stream."""
        text = json.dumps(answer).encode()
        split = text.index(b'"data": [') + len(b'"data": [')
        starts = [self.start_b64(f"{label} image {i + 1}") for i in range(n)]
        opening, closing = b'{"b64_json": "', b'"}'
        length = (len(text) + sum(len(opening) + len(s) + len(self.tail_b64) + len(closing) for s in starts)
                  + 2 * (n - 1))
        tail = memoryview(self.tail_b64)

        def pieces():
            yield text[:split]
            for i, start in enumerate(starts):
                yield (b", " if i else b"") + opening + start
                for offset in range(0, len(tail), MIB):
                    yield tail[offset:offset + MIB]
                yield closing
            yield text[split:]

        return Stream(length, pieces())


# Requests --------------------------------------------------------------------------------------------


def parse_multipart(body, content_type):
    """{name: [value, …]}: text parts as str, file parts as (filename, content type, bytes)."""
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not boundary:
        raise APIError(400, "Invalid multipart body: no boundary in the Content-Type header.")
    fields = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        part = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            part[name.strip()] = value.strip()
        name = part.get_param("name", header="content-disposition")
        data = data.removesuffix(b"\r\n")
        filename = part.get_param("filename", header="content-disposition")
        if filename is None:
            value = data.decode("utf-8", "replace")
        else:
            value = (filename, part.get("content-type", "application/octet-stream"), data)
        fields.setdefault(name, []).append(value)
    return fields


def read_params(handler, body):
    """The request's fields as one dict, with the input images (bytes) under "_images" and "_mask"."""
    content_type = handler.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        fields = parse_multipart(body, content_type)
        params = {k: v[0] for k, v in fields.items() if v and isinstance(v[0], str)}
        params["_images"] = [f[2] for k in ("image", "image[]") for f in fields.get(k, []) if isinstance(f, tuple)]
        params["_mask"] = next((f[2] for f in fields.get("mask", []) if isinstance(f, tuple)), None)
        return params
    try:
        params = json.loads(body or b"null")
    except ValueError:
        params = None
    if not isinstance(params, dict):
        raise APIError(400, "We could not parse the JSON body of your request. (HINT: This likely means you "
                       "aren't using your HTTP library correctly.)")
    images = [i.get("image_url", "") for i in params.get("images", []) if isinstance(i, dict)]
    try:
        params["_images"] = [base64.b64decode(u.partition(",")[2]) for u in images]
    except ValueError:
        raise APIError(400, "Invalid image_url: expected a base64 data URL.", param="images") from None
    params["_mask"] = None
    return params


def checked_int(params, name, default, low, high):
    value = params.get(name, default)
    try:
        number = int(value) if not isinstance(value, (bool, float)) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise APIError(400, f"Invalid value for '{name}': {value!r}; expected an integer from {low} to {high}.",
                       param=name, code="invalid_value")
    return number


def validate(endpoint, params, config):
    """Checks the fields OpenAI checks cheaply; returns (model, n, size, quality). Raises APIError."""
    model = str(params.get("model") or ("dall-e-2" if endpoint == "variations" else "gpt-image-2"))
    legacy = model.startswith("dall-e")
    if endpoint == "variations" and model != "dall-e-2":
        raise APIError(400, f"Variations are only supported for dall-e-2, not '{model}'.", param="model")
    if endpoint != "variations" and not str(params.get("prompt") or "").strip():
        raise APIError(400, "Missing required parameter: 'prompt'.", param="prompt", code="missing_required_parameter")
    if not legacy:
        for name in ("response_format", "style"):
            if name in params:
                raise APIError(400, f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter")
    elif params.get("response_format", "url") not in ("url", "b64_json"):
        raise APIError(400, f"Invalid value: '{params['response_format']}'. Supported values are: 'url' and "
                       "'b64_json'.", param="response_format", code="invalid_value")
    n = checked_int(params, "n", 1, 1, 10)
    if model == "dall-e-3" and n != 1:
        raise APIError(400, "You must provide n=1 for this model.", param="n", code="invalid_value")
    size = str(params.get("size") or "auto")
    if size != "auto" and not re.fullmatch(r"[1-9]\d{0,4}x[1-9]\d{0,4}", size):
        raise APIError(400, f"Invalid value: '{size}'. Expected 'auto' or WIDTHxHEIGHT.", param="size",
                       code="invalid_value")
    quality = str(params.get("quality") or "auto")
    if quality not in QUALITIES:
        raise APIError(400, f"Invalid value: '{quality}'.", param="quality", code="invalid_value")
    output_format = str(params.get("output_format") or "png")
    if output_format not in FORMATS:
        raise APIError(400, f"Invalid value: '{output_format}'.", param="output_format", code="invalid_value")
    if params.get("background") == "transparent" and output_format == "jpeg":
        raise APIError(400, "Transparent background requires output_format png or webp.", param="background")
    if "output_compression" in params:
        checked_int(params, "output_compression", 100, 0, 100)
    images, mask = params["_images"], params["_mask"]
    if endpoint != "generations" and not 1 <= len(images) <= (1 if legacy else 16):
        raise APIError(400, f"Expected 1 to {1 if legacy else 16} input images, got {len(images)}.", param="image")
    if mask is not None:
        info, first = png_info(mask), png_info(images[0])
        if info is None or info[2] not in (4, 6):
            raise APIError(400, "Invalid mask image: it must be a PNG with an alpha channel.", param="mask")
        if first and first[:2] != info[:2]:
            raise APIError(400, f"The mask ({info[0]}x{info[1]}) and the image ({first[0]}x{first[1]}) must "
                           "have the same dimensions.", param="mask")
    word = config.moderation
    if word and word.lower() in str(params.get("prompt", "")).lower():
        raise APIError(400, "Your request was rejected by the safety system. If you believe this is an error, "
                       "contact us at help.openai.com. safety_violations=[violence].",
                       type_="image_generation_user_error", code="moderation_blocked")
    return model, n, size, quality


def hostile_images(mode, pngs, asked):
    """The images a content mode answers instead of `pngs`, and the output_format it reports."""
    n = len(pngs)
    if mode == "html":
        return [HTML_PAGE] * n, "png"
    if mode == "svg":
        return [SVG_IMAGE] * n, "svg"
    if mode == "wrong-format":
        return pngs, "webp"
    if mode == "other-format":
        other = {"png": TINY_WEBP, "webp": TINY_JPEG}.get(asked)
        return ([other] * n if other else pngs), asked
    if mode == "giant-png":
        return [giant_png()] * n, "png"
    if mode == "lying-png":
        return [lying_png()] * n, "png"
    return pngs, "png"


# The server ------------------------------------------------------------------------------------------


class FakeServer(ThreadingHTTPServer):
    # Many clients connect at once (a build at concurrency 8 or more): keep them all in the backlog.
    request_queue_size = 128
    daemon_threads = True

    def __init__(self, config, address=None, main=None):
        super().__init__(address or (config.host, config.port), Handler)
        self.config = config
        self.lock = threading.Lock() if main is None else main.lock
        self.in_flight = 0
        self.files = {}  # id → (png bytes, expiry time)
        # --hostile redirect: (method, path, whether it carried a key) of each request arriving at REDIRECT_HOST.
        self.redirect_arrivals = [] if main is None else main.redirect_arrivals
        self.big_images = None
        if config.hostile == "big-images":
            self.big_images = main.big_images if main else BigImages(config.image_mb)
        # --hostile redirect: the other host, 127.0.0.2, on the same port (a wildcard --host already has it).
        self.twin = None
        if main is None and config.hostile == "redirect" and config.host in ("127.0.0.1", "localhost"):
            try:
                self.twin = FakeServer(config, (REDIRECT_HOST, self.server_address[1]), main=self)
            except OSError as error:
                sys.stderr.write(f"fake-images-api: cannot listen on {REDIRECT_HOST}:{self.server_address[1]} "
                                 f"({error}): requests following the redirect will not be seen\n")
            else:
                threading.Thread(target=self.twin.serve_forever, args=(0.05,), daemon=True).start()

    def shutdown(self):
        if self.twin:
            self.twin.shutdown()
        super().shutdown()

    def server_close(self):
        if self.twin:
            self.twin.server_close()
        super().server_close()

    def store(self, data):
        file_id = "img-" + secrets.token_hex(12)
        with self.lock:
            now = time.time()
            self.files = {k: v for k, v in self.files.items() if v[1] > now}
            self.files[file_id] = (data, now + URL_LIFETIME)
        return file_id


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle holds the body back until the
    # client acknowledges the headers, up to 40 ms of delayed ACK added to the latency.
    disable_nagle_algorithm = True
    server_version = "fake-images-api/1.0"

    def do_GET(self):
        self.serve(self.get_file)

    def do_POST(self):
        self.serve(self.post_image)

    def serve(self, route):
        started, self.record = time.monotonic(), {"method": self.command, "path": self.path}
        self.request_id = "req_" + secrets.token_hex(16)
        if self.server.config.hostile:
            self.record["hostile"] = self.server.config.hostile
        if self.redirected_here():
            self.note_redirect_arrival()
        status = 500
        try:
            status, body, content_type, headers = route()
        except APIError as error:
            status, body, content_type = error.status, json.dumps(error.body()).encode(), "application/json"
            headers = error.headers
        except Exception as error:  # a bug here should still answer, like a real 500
            body = json.dumps(APIError(500, f"fake server bug: {error!r}", "server_error").body()).encode()
            content_type, headers = "application/json", {}
        self.send_response(status)
        streamed = isinstance(body, Stream)
        length, pieces = (body.length, body.pieces) if streamed else (len(body), (body,))
        headers = {"content-type": content_type, "content-length": str(length), "x-request-id": self.request_id,
                   "openai-version": "2020-10-01",
                   "openai-processing-ms": str(int((time.monotonic() - started) * 1000)), **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if streamed:  # a client that stops reading without closing holds a write at most this long
            self.connection.settimeout(STREAM_TIMEOUT)
        sent = 0
        try:
            for piece in pieces:
                self.wfile.write(piece)
                sent += len(piece)
        except OSError:  # the client gave up (its own timeout or size limit), or stopped reading
            self.close_connection = True
        if streamed:
            self.record["sent_bytes"] = sent
        self.write_log(status, started)

    def redirected_here(self):
        """Whether this request arrived at the other host of --hostile redirect."""
        return (self.server.config.hostile == "redirect"
                and self.connection.getsockname()[0].removeprefix("::ffff:") == REDIRECT_HOST)

    def note_redirect_arrival(self):
        carried = bool(self.headers.get("authorization") or self.headers.get("api-key"))
        self.record.update(redirect_arrival=True, authorization=carried)
        with self.server.lock:
            self.server.redirect_arrivals.append((self.command, self.path, carried))
        if not self.server.config.quiet:
            sys.stderr.write(f"redirect: {self.command} {self.path} arrived at {REDIRECT_HOST} "
                             + ("CARRYING a key (Authorization or api-key header): the client sent it to another "
                                "host\n" if carried else "without an Authorization or api-key header\n"))

    def read_body(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def get_file(self):
        match = re.fullmatch(r"/v1/files/(img-[0-9a-f]+)\.png", self.path)
        with self.server.lock:
            entry = self.server.files.get(match.group(1)) if match else None
        if entry is None or entry[1] < time.time():
            raise APIError(404, f"Invalid URL (GET {self.path})")
        return 200, entry[0], "image/png", {}

    def post_image(self):
        body = self.read_body()
        config = self.server.config
        match = re.fullmatch(r"/v1/images/(generations|edits|variations)", self.path.split("?")[0])
        if not match:
            raise APIError(404, f"Invalid URL (POST {self.path})")
        endpoint = match.group(1)
        self.record["content_type"] = self.headers.get("content-type")
        if config.hostile == "key-echo":
            key = self.presented_key() or self.headers.get("authorization", "")
            raise APIError(401, f"Incorrect API key provided: {key}. You can find your API key at "
                           "https://platform.openai.com/account/api-keys.", type_=key, param=key, code=key,
                           headers={"x-request-id": key, "x-echo": key})
        if config.hostile == "redirect" and not self.redirected_here():
            location = f"http://{REDIRECT_HOST}:{self.server.server_address[1]}{self.path}"
            return 302, b"", "text/plain", {"location": location}
        if not self.redirected_here():
            self.authorize(config)
        params = read_params(self, body)
        prompt = str(params.get("prompt", ""))
        self.record.update(model=params.get("model"), n=params.get("n"), size=params.get("size"),
                           image_parts=len(params["_images"]), prompt=prompt[:80])
        if config.quota_exhausted:
            raise APIError(429, "You exceeded your current quota, please check your plan and billing details.",
                           "insufficient_quota", code="insufficient_quota")
        with self.server.lock:
            self.server.in_flight += 1
            crowded = config.rate_limit is not None and self.server.in_flight > config.rate_limit
        try:
            if crowded:
                raise APIError(429, f"Rate limit reached for images per min: limit {config.rate_limit} in flight. "
                               "Please try again in 1s.", "requests", code="rate_limit_exceeded",
                               headers={"retry-after": "1"})
            return self.answer(endpoint, params, prompt, config)
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def presented_key(self):
        auth = self.headers.get("authorization", "")
        return auth[7:].strip() if auth.lower().startswith("bearer ") else self.headers.get("api-key", "").strip()

    def authorize(self, config):
        key = self.presented_key()
        if not key:
            raise APIError(401, "You didn't provide an API key. You need to provide your API key in an "
                           "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                           code="invalid_api_key")
        if config.key is not None and key != config.key:
            raise APIError(401, f"Incorrect API key provided: {key}. You can find your API key at "
                           "https://platform.openai.com/account/api-keys.", code="invalid_api_key")

    def answer(self, endpoint, params, prompt, config):
        images = params["_images"]
        arrived = time.monotonic()
        model, n, size, quality = validate(endpoint, params, config)
        width, height = (1024, 1024) if size == "auto" else map(int, size.split("x"))
        scale = min(1.0, config.max_side / max(width, height))
        pixels = max(1, round(width * scale)), max(1, round(height * scale))
        seed = prompt.encode() if endpoint != "variations" else hashlib.sha256(images[0]).digest()
        hostile = config.hostile
        asked = str(params.get("output_format") or "png")
        fixed = IMAGES_FROM_FILES.get(asked) if config.images_from and endpoint != "variations" else None
        if hostile in ("huge-body", "big-images"):
            pngs = []  # streamed below
        elif fixed:
            # --images-from: the same file, unchanged, for each of the n images.
            try:
                with open(os.path.join(config.images_from, fixed), "rb") as f:
                    pngs = [f.read()] * n
            except OSError as error:
                raise APIError(500, f"fake server: --images-from cannot read {fixed}: {error.strerror}",
                               "server_error") from None
        elif config.image_dir:
            # Pictures from a pool (benchmarks: realistic, incompressible PNGs), chosen by the seed.
            pool = sorted(f for f in os.listdir(config.image_dir) if f.endswith(".png"))
            pngs = []
            for i in range(n):
                pick = int.from_bytes(hashlib.sha256(seed + b"#%d" % i).digest()[:4], "big") % len(pool)
                with open(os.path.join(config.image_dir, pool[pick]), "rb") as f:
                    pngs.append(f.read())
        else:
            pngs = [picture(*pixels, seed + b"#%d" % i) for i in range(n)]
        # The latency counts from arrival: drawing the pictures is part of it, not added to it.
        time.sleep(max(0.0, config.latency + random.uniform(0, config.jitter) - (time.monotonic() - arrived)))
        if random.random() < config.fail_rate:
            raise APIError(500, "The server had an error while processing your request. Sorry about that!",
                           "server_error")
        if hostile == "huge-body":
            return 200, huge_body(), "application/json", {}
        pngs, output_format = hostile_images(hostile, pngs, asked)
        if fixed:
            output_format = asked
        answer = {"created": int(time.time())}
        if model.startswith("dall-e"):
            host = self.headers.get("host") or "%s:%d" % self.server.server_address[:2]
            items = []
            for png in pngs:
                if params.get("response_format", "url") == "url":
                    items.append({"url": f"http://{host}/v1/files/{self.server.store(png)}.png"})
                else:
                    items.append({"b64_json": base64.b64encode(png).decode()})
                if model == "dall-e-3":
                    items[-1]["revised_prompt"] = f"A detailed, vivid rendering of: {prompt}"
            answer["data"] = items
        else:
            tier = "medium" if quality == "auto" else quality
            per_image = round(TOKENS_PER_IMAGE.get(tier, 1056) * width * height / (1024 * 1024))
            text_tokens, image_tokens = max(1, len(prompt) // 4), 323 * len(images)
            answer.update(
                data=[{"b64_json": base64.b64encode(png).decode()} for png in pngs],
                size="1024x1024" if size == "auto" else size, quality=tier, output_format=output_format,
                background="opaque",
                usage={"input_tokens": text_tokens + image_tokens,
                       "input_tokens_details": {"text_tokens": text_tokens, "image_tokens": image_tokens},
                       "output_tokens": per_image * n,
                       "output_tokens_details": {"image_tokens": per_image * n, "text_tokens": 0},
                       "total_tokens": text_tokens + image_tokens + per_image * n})
        if hostile == "big-images":
            answer["data"] = []
            return 200, self.server.big_images.body(answer, n, self.request_id), "application/json", {}
        return 200, json.dumps(answer).encode(), "application/json", {}

    def write_log(self, status, started):
        latency = round(time.monotonic() - started, 4)
        if not self.server.config.quiet:
            sys.stderr.write(f"{self.command} {self.path} → {status} in {latency:.3f}s\n")
        if self.server.config.log:
            line = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "t": round(time.time(), 4), "status": status,
                    "latency": latency, "request_id": self.request_id, **self.record}
            with self.server.lock, open(self.server.config.log, "a", encoding="utf-8") as log:
                log.write(json.dumps(line) + "\n")

    def log_message(self, format, *args):  # the default writes every request line to stderr
        pass


# Command line and self-test -------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="A fake OpenAI-compatible Images API (see the module docstring).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port (printed on start)")
    parser.add_argument("--key", help="require exactly this API key; by default any non-empty key passes")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds to sleep before answering")
    parser.add_argument("--jitter", type=float, default=0.0, help="up to this many extra random seconds")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of requests answered 500 (0–1)")
    parser.add_argument("--rate-limit", type=int, help="answer 429 when more than N requests are in flight")
    parser.add_argument("--quota-exhausted", action="store_true", help="answer every request 429 insufficient_quota")
    parser.add_argument("--moderation", metavar="WORD", help="block prompts containing WORD (400 moderation_blocked)")
    parser.add_argument("--log", metavar="FILE", help="append one JSON line per request")
    parser.add_argument("--image-dir", metavar="DIR",
                        help="answer with PNG files from DIR (chosen by the prompt) instead of drawing pictures")
    parser.add_argument("--images-from", metavar="DIR",
                        help="answer generations and edits with DIR/signed.png, signed.jpg or signed.webp, "
                        "unchanged, by the output_format asked (see the module docstring)")
    parser.add_argument("--max-side", type=int, default=MAX_SIDE,
                        help="largest side of the pictures drawn (the size reported is the one asked for)")
    parser.add_argument("--hostile", choices=HOSTILE_MODES, metavar="MODE",
                        help="misbehave on every image request like a broken or malicious server: "
                        + ", ".join(HOSTILE_MODES) + " (see the module docstring)")
    parser.add_argument("--image-mb", type=float, default=64, metavar="MIB",
                        help="--hostile big-images: the size of each PNG, in MiB (default 64)")
    parser.add_argument("--quiet", action="store_true", help="no per-request line on stderr")
    parser.add_argument("--self-test", action="store_true", help="run the built-in checks and exit")
    config = parser.parse_args(argv)
    if not config.image_mb > 0:
        parser.error("--image-mb must be above 0")
    if config.images_from is not None:
        if config.image_dir or config.hostile:
            parser.error("--images-from cannot be combined with --image-dir or --hostile")
        if not os.path.isdir(config.images_from):
            parser.error(f"--images-from: {config.images_from} is not a directory")
    return config


def start(argv):
    server = FakeServer(parse_args(argv))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # shutdown() in 50 ms
    return server, "http://127.0.0.1:%d/v1" % server.server_address[1]


def call(url, body=None, key="sk-selftest-0123456789", content_type="application/json"):
    """(status, headers, parsed JSON or raw bytes) of one request; never raises on an HTTP status."""
    headers = {"authorization": f"Bearer {key}"} if key else {}
    if body is not None:
        headers["content-type"] = content_type
        body = json.dumps(body).encode() if content_type == "application/json" else body
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers)) as response:
            status, answer, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer, raw = error.code, error.headers, error.read()
    is_json = answer.get("content-type") == "application/json"
    return status, answer, json.loads(raw) if is_json else raw


def multipart(fields):
    """A multipart body from (name, str or (filename, bytes)) pairs, and its Content-Type."""
    boundary = "selftest" + secrets.token_hex(8)
    out = b""
    for name, value in fields:
        if isinstance(value, tuple):
            out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{value[0]}"\r\n'
                    "Content-Type: image/png\r\n\r\n").encode() + value[1] + b"\r\n"
        else:
            out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def self_test():
    log = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name
    server, base = start(["--port", "0", "--key", "sk-selftest-0123456789", "--moderation", "forbidden",
                          "--log", log, "--quiet"])
    status, headers, body = call(base + "/images/generations",
                                 {"model": "gpt-image-2", "prompt": "a red fox", "n": 2, "size": "1536x1024"})
    assert status == 200 and headers["x-request-id"].startswith("req_"), (status, body)
    assert body["size"] == "1536x1024" and body["output_format"] == "png" and len(body["data"]) == 2, body
    fox = base64.b64decode(body["data"][0]["b64_json"])
    assert png_info(fox) == (1024, 683, 2), png_info(fox)
    usage = body["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"] > 0, usage
    _, _, other = call(base + "/images/generations", {"model": "gpt-image-2", "prompt": "a blue whale"})
    assert base64.b64decode(other["data"][0]["b64_json"]) != fox and other["size"] == "1024x1024"

    for bad, param in [({"model": "gpt-image-2", "prompt": "x", "response_format": "url"}, "response_format"),
                       ({"model": "gpt-image-2", "prompt": "x", "style": "vivid"}, "style"),
                       ({"model": "gpt-image-2"}, "prompt"), ({"prompt": "x", "n": 11}, "n"),
                       ({"prompt": "x", "size": "big"}, "size")]:
        status, _, body = call(base + "/images/generations", bad)
        assert status == 400 and body["error"]["param"] == param, (bad, status, body)

    rgb = picture(64, 64, b"source")
    mask = encode_png(64, 64, (b"\x00" + b"\x00\x00\x00\xff" * 64) * 64, colour_type=6)
    form, content_type = multipart([("model", "gpt-image-2"), ("prompt", "add a moon"), ("n", "1"),
                                    ("image[]", ("a.png", rgb)), ("image[]", ("b.png", rgb)),
                                    ("mask", ("mask.png", mask))])
    status, _, body = call(base + "/images/edits", form, content_type=content_type)
    assert status == 200 and body["usage"]["input_tokens_details"]["image_tokens"] == 2 * 323, body
    assert png_info(base64.b64decode(body["data"][0]["b64_json"]))[:2] == (1024, 1024)
    form, content_type = multipart([("prompt", "x"), ("image", ("a.png", rgb)), ("mask", ("m.png", rgb))])
    status, _, body = call(base + "/images/edits", form, content_type=content_type)
    assert status == 400 and body["error"]["param"] == "mask", body

    form, content_type = multipart([("model", "dall-e-2"), ("n", "2"), ("size", "256x256"),
                                    ("response_format", "b64_json"), ("image", ("a.png", rgb))])
    status, _, body = call(base + "/images/variations", form, content_type=content_type)
    assert status == 200 and png_info(base64.b64decode(body["data"][1]["b64_json"])) == (256, 256, 2), body

    status, _, body = call(base + "/images/generations", {"model": "dall-e-3", "prompt": "a lighthouse"})
    assert status == 200 and "lighthouse" in body["data"][0]["revised_prompt"], body
    status, headers, png = call(body["data"][0]["url"])
    assert status == 200 and headers["content-type"] == "image/png" and png_info(png)[:2] == (1024, 1024)

    status, _, body = call(base + "/images/generations", {"prompt": "x"}, key="sk-wrong-abcdef-xyz")
    assert status == 401 and "sk-wrong-abcdef-xyz" in body["error"]["message"], body
    assert body["error"]["code"] == "invalid_api_key"
    assert call(base + "/images/generations", {"prompt": "x"}, key=None)[0] == 401
    status, _, body = call(base + "/images/generations", {"prompt": "a Forbidden scene"})
    assert status == 400 and body["error"]["code"] == "moderation_blocked", body
    assert body["error"]["type"] == "image_generation_user_error"
    assert call(base + "/nothing/here", {"prompt": "x"})[0] == 404
    server.shutdown()
    with open(log, encoding="utf-8") as lines:
        text = lines.read()
    os.remove(log)
    assert text.count("\n") == 16 and "sk-selftest" not in text and "sk-wrong" not in text, text

    server, base = start(["--port", "0", "--quota-exhausted", "--quiet"])
    status, _, body = call(base + "/images/generations", {"prompt": "x"})
    assert status == 429 and body["error"]["type"] == "insufficient_quota", body
    server.shutdown()

    server, base = start(["--port", "0", "--rate-limit", "1", "--latency", "0.3", "--quiet"])
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(call(base + "/images/generations", {"prompt": "x"})))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a[0] for a in answers)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    assert next(a[1]["retry-after"] for a in answers if a[0] == 429) == "1"
    server.config.rate_limit, server.config.latency, server.config.fail_rate = None, 0.0, 1.0
    status, _, body = call(base + "/images/generations", {"prompt": "x"})
    assert status == 500 and body["error"]["type"] == "server_error", body
    server.shutdown()
    images_from_self_test()
    hostile_self_test()
    print("self-test ok")


def images_from_self_test():
    """--images-from: each format's file, byte for byte, for generations and edits; drawn PNGs otherwise."""
    import contextlib
    import io
    import shutil

    folder = tempfile.mkdtemp(prefix="fake-images-api-from-")
    try:
        files = {"png": picture(16, 16, b"signed"), "jpeg": TINY_JPEG, "webp": TINY_WEBP}
        for fmt, data in files.items():
            with open(os.path.join(folder, IMAGES_FROM_FILES[fmt]), "wb") as f:
                f.write(data)
        server, base = start(["--port", "0", "--quiet", "--images-from", folder])
        for asked in (None, "png", "jpeg", "webp"):
            request = {"model": "gpt-image-2", "prompt": "x", "n": 2, **({"output_format": asked} if asked else {})}
            status, _, body = call(base + "/images/generations", request)
            assert status == 200 and body["output_format"] == (asked or "png"), (asked, status, body)
            assert [base64.b64decode(i["b64_json"]) for i in body["data"]] == [files[asked or "png"]] * 2, asked
        form, content_type = multipart([("model", "gpt-image-2"), ("prompt", "add a moon"), ("output_format", "webp"),
                                        ("image", ("a.png", picture(32, 32, b"input")))])
        status, _, body = call(base + "/images/edits", form, content_type=content_type)
        assert status == 200 and body["output_format"] == "webp", body
        assert base64.b64decode(body["data"][0]["b64_json"]) == TINY_WEBP and body["usage"]["input_tokens"] > 0
        status, _, body = call(base + "/images/generations", {"prompt": "x", "output_format": "gif"})
        drawn = base64.b64decode(body["data"][0]["b64_json"])
        assert status == 200 and body["output_format"] == "png" and png_info(drawn) == (1024, 1024, 2), body
        form, content_type = multipart([("model", "dall-e-2"), ("size", "256x256"), ("response_format", "b64_json"),
                                        ("image", ("a.png", files["png"]))])
        status, _, body = call(base + "/images/variations", form, content_type=content_type)
        assert status == 200 and png_info(base64.b64decode(body["data"][0]["b64_json"])) == (256, 256, 2), body
        status, _, body = call(base + "/images/generations", {"prompt": "x", "output_format": "bmp"})
        assert status == 400 and body["error"]["param"] == "output_format", body
        os.remove(os.path.join(folder, "signed.webp"))
        status, _, body = call(base + "/images/generations", {"prompt": "x", "output_format": "webp"})
        assert status == 500 and "signed.webp" in body["error"]["message"], body
        server.shutdown()
        for extra in (["--image-dir", folder], ["--hostile", "html"], []):
            with contextlib.redirect_stderr(io.StringIO()):
                try:
                    parse_args(["--images-from", os.path.join(folder, "none") if not extra else folder, *extra])
                    raise AssertionError(f"--images-from accepted with {extra or 'a missing folder'}")
                except SystemExit as exit:
                    assert exit.code == 2, exit.code
    finally:
        shutil.rmtree(folder)


def idat_data(png):
    """The concatenated IDAT data of PNG bytes."""
    pos, out = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        if kind == b"IDAT":
            out += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    return out


def hostile_self_test():
    """Each --hostile mode, cheaply: huge-body by its headers and first bytes, giant-png without inflating it."""
    import http.client

    def images(base, request):
        status, headers, body = call(base + "/images/generations", {"model": "gpt-image-2", **request})
        assert status == 200, (status, body)
        return body, [base64.b64decode(item["b64_json"]) for item in body["data"]]

    def hostile(mode, *extra):
        return start(["--port", "0", "--quiet", "--hostile", mode, *extra])

    server, base = hostile("html")
    body, [page] = images(base, {"prompt": "x"})
    assert page == HTML_PAGE and body["output_format"] == "png", body
    server.shutdown()

    server, base = hostile("wrong-format")
    body, [png] = images(base, {"prompt": "x", "output_format": "png"})
    assert body["output_format"] == "webp" and png_info(png), body["output_format"]
    server.shutdown()

    server, base = hostile("other-format")
    for asked, magic in [(None, b"RIFF"), ("png", b"RIFF"), ("webp", b"\xff\xd8\xff"), ("jpeg", PNG_SIGNATURE)]:
        body, [data] = images(base, {"prompt": "x", **({"output_format": asked} if asked else {})})
        assert data.startswith(magic) and body["output_format"] == (asked or "png"), (asked, data[:12])
    assert TINY_WEBP[8:16] == b"WEBPVP8L" and TINY_JPEG.endswith(b"\xff\xd9")
    server.shutdown()

    server, base = hostile("svg")
    body, [svg] = images(base, {"prompt": "x"})
    assert body["output_format"] == "svg" and svg.startswith(b"<svg") and b"<script>" in svg
    server.shutdown()

    server, base = hostile("key-echo")
    status, headers, body = call(base + "/images/generations", {"prompt": "x"}, key="sk-echo-0123456789")
    error = body["error"]
    assert status == 401 and "sk-echo-0123456789" in error["message"], body
    assert error["code"] == error["type"] == error["param"] == "sk-echo-0123456789", error
    assert headers["x-request-id"] == headers["x-echo"] == "sk-echo-0123456789", dict(headers)
    request = urllib.request.Request(base + "/images/generations", b"{}", {"api-key": "azure-key-42"})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("key-echo answered 2xx")
    except urllib.error.HTTPError as answer:
        assert answer.code == 401 and answer.headers["x-echo"] == "azure-key-42"
    server.shutdown()

    server, base = hostile("redirect")
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/v1/images/generations", json.dumps({"prompt": "x"}),
                       {"authorization": "Bearer sk-redirect-test", "content-type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 302, answer.status
    assert answer.getheader("location") == f"http://127.0.0.2:{port}/v1/images/generations", answer.getheaders()
    connection.close()
    if server.twin:
        # urllib follows the 302 (as a GET) and sends the Authorization header to the other host: seen.
        assert call(base + "/images/generations", {"prompt": "x"}, key="sk-redirect-test")[0] == 404
        status, _, body = call(f"http://127.0.0.2:{port}/v1/images/generations", {"prompt": "x"}, key=None)
        assert status == 200 and png_info(base64.b64decode(body["data"][0]["b64_json"])), (status, body)
        assert server.redirect_arrivals == [("GET", "/v1/images/generations", True),
                                            ("POST", "/v1/images/generations", False)], server.redirect_arrivals
    else:
        print("self-test: cannot listen on 127.0.0.2 here: arrivals after a redirect not checked")
    server.shutdown()

    server, base = hostile("huge-body")
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("POST", "/v1/images/generations", json.dumps({"prompt": "x"}),
                       {"authorization": "Bearer sk-test", "content-type": "application/json"})
    answer = connection.getresponse()
    assert answer.status == 200 and answer.getheader("content-length") == "2147483648", answer.getheaders()
    start_of_body = answer.read(64)
    assert start_of_body == b'{"created":1,"data":[{"b64_json":"' + b"A" * 30, start_of_body
    connection.close()  # the server's next write fails, and it stops
    server.shutdown()

    server, base = hostile("giant-png")
    body, [giant] = images(base, {"prompt": "x"})
    assert png_info(giant) == (GIANT_SIDE, GIANT_SIDE, 0) and giant.endswith(png_chunk(b"IEND", b""))
    first_rows = zlib.decompressobj().decompress(idat_data(giant[:1 << 16]), 3 * (GIANT_SIDE + 1))
    assert first_rows == bytes(3 * (GIANT_SIDE + 1)), "the giant PNG does not start with zero rows"
    assert os.path.exists(os.path.join(tempfile.gettempdir(), f"fake-images-api-giant-{GIANT_SIDE}x{GIANT_SIDE}-gray8-v1.png"))
    server.shutdown()

    server, base = hostile("lying-png")
    body, [liar, _] = images(base, {"prompt": "x", "n": 2})
    assert png_info(liar) == (LYING_SIDE, LYING_SIDE, 2)
    assert len(zlib.decompress(idat_data(liar))) == 1 + 3 * LYING_SIDE, "the lying PNG holds more than one row"
    server.shutdown()

    server, base = hostile("big-images", "--image-mb", "1")
    body, pngs = images(base, {"prompt": "x", "n": 3})
    big = server.big_images
    assert len(pngs) == 3 and len(set(pngs)) == 3 and body["usage"]["output_tokens"] > 0, len(pngs)
    for png in pngs:
        assert 0.99 * MIB < len(png) == big.size <= MIB and png_info(png) == (big.width, big.height, 2), len(png)
        assert len(zlib.decompress(idat_data(png))) == big.height * (1 + 3 * big.width)
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("POST", "/v1/images/generations", json.dumps({"prompt": "x", "n": 2}),
                       {"authorization": "Bearer sk-test", "content-type": "application/json"})
    answer = connection.getresponse()
    raw = answer.read()
    assert int(answer.getheader("content-length")) == len(raw) and len(json.loads(raw)["data"]) == 2
    connection.close()
    server.shutdown()


def main():
    config = parse_args()
    if config.self_test:
        self_test()
        return
    server = FakeServer(config)
    host, port = server.server_address[:2]
    print(f"fake-images-api listening on http://{host}:{port}/v1", flush=True)
    if server.twin:
        sys.stderr.write(f"fake-images-api: redirecting to, and also listening on, http://{REDIRECT_HOST}:{port}\n")
    if server.big_images:
        sys.stderr.write(f"fake-images-api: big images of {server.big_images.width}x{server.big_images.height}, "
                         f"{server.big_images.size} bytes each\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
