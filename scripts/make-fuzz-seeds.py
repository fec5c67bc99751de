#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus, Fuzz/seeds/, from the repository's test fixtures.

    python3 scripts/make-fuzz-seeds.py          # rewrites Fuzz/seeds/ (committed)

Each file is one input of Sources/EaselFuzz: a first byte choosing the parser (0 prompt, 1 easel.yml,
2 cache record, 3 Images API answer, 4 an image's Content Credentials, 5 CBOR; see FuzzTarget.Kind)
and the bytes it reads. The seeds are:
the example gallery's prompts and easel.yml (what ExampleGalleryTests builds); every prompt text of
PromptDiagnosticsTests, BinaryTests' broken mix and HostileProjectTests' small cases; and cache
records and answers shaped like the ones the tests write and serve. `make fuzz` starts from them, and
the bounded fuzz test in `swift test` mutates them. Standard library only.
"""

import base64
import codecs
import hashlib
import json
import os
import re
import shutil
import struct
import sys
import zlib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Fuzz", "seeds")
PROMPT, CONFIG, RECORD, ANSWER, CREDENTIALS, CBOR = 0, 1, 2, 3, 4, 5


def swift_literals(path, pattern):
    """The Swift string literals captured by `pattern` in a test file, with their escapes decoded."""
    text = open(os.path.join(REPO, path), encoding="utf-8").read()
    found = []
    for literal in re.findall(pattern, text):
        # \u{89} style escapes, then the usual ones.
        literal = re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: "\\u%04x" % int(m.group(1), 16), literal)
        found.append(codecs.decode(literal, "unicode_escape").encode("latin-1", "backslashreplace"))
    return found


def tiny_png():
    raw = b"\x00\xff\x00\x00\x00\x00\xff\x00"
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def record(fmt="png", file="1.png", latency=6200, extra=None):
    png = tiny_png()
    key = hashlib.sha256(b"fuzz seed").hexdigest()
    value = {
        "version": 1, "key": key, "created": "2025-11-24T16:00:00Z", "stored_at": "2025-11-24T16:00:05Z",
        "latency_ms": latency, "total_ms": 7000, "attempts": 1, "request_id": "req_1",
        "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
                  "input_text_tokens": 50, "input_image_tokens": 0},
        "cost_usd": 0.125, "model": "gpt-image-2", "size": "1024x1024", "quality": "high", "format": fmt,
        "images": [{"file": file, "sha256": hashlib.sha256(png).hexdigest(), "bytes": len(png),
                    "width": 2, "height": 1}],
        "prompt_file": "prompts/cat.md",
        "request": {"endpoint": "generations", "model": "gpt-image-2", "prompt": "A cat.", "n": 1,
                    "images": [], "mask_rect": {"x": 0, "y": 0, "width": 1, "height": 1}},
    }
    value.update(extra or {})
    return json.dumps(value, indent=2).encode()


def answers():
    png = base64.b64encode(tiny_png()).decode()
    yield "success", json.dumps({"created": 1764000000, "data": [{"b64_json": png}], "size": "1024x1024",
                                 "quality": "high", "output_format": "png",
                                 "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
                                           "input_tokens_details": {"text_tokens": 50, "image_tokens": 0}}})
    yield "escaped-slashes", '{"created":1,"data":[{"b64_json":"%s"},{"b64_json":"%s"}]}' % (
        png.replace("/", "\\/"), png)
    yield "legacy-url", '{"created":1700000000,"data":[{"url":"http://127.0.0.1:9/files/a.png","revised_prompt":"A cat."}]}'
    yield "error", '{"error":{"message":"Incorrect API key provided: sk-fuzz-secret-key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}'
    yield "nested", '{"created":1,"data":[{"b64_json":"QUFB","x":{"data":[{"b64_json":"notimage"}]}}],"extra":[[[[{}]]]]}'
    yield "truncated", '{"created":1,"data":[{"b64_json":"iVBORw0KGgo'
    yield "huge-numbers", '{"created":9223372036854775807,"data":[{"b64_json":"QUFB"}],"usage":{"input_tokens":9223372036854775807,"output_tokens":9223372036854775807}}'


def cbor_boxes(data):
    """The payloads of the JUMBF `cbor` boxes in a signed image (claim, assertions, signature)."""
    found, start = [], 0
    while (at := data.find(b"cbor", start)) >= 4:
        (length,) = struct.unpack(">I", data[at - 4:at])
        if 8 < length <= len(data) - at + 4:
            found.append(data[at + 4:at - 4 + length])
        start = at + 4
    return found


def main():
    seeds = {}
    for folder, _, files in os.walk(os.path.join(REPO, "prompts")):
        for name in sorted(files):
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                seeds["prompt-gallery-" + name[:-3]] = (PROMPT, open(path, "rb").read())
    seeds["config-gallery"] = (CONFIG, open(os.path.join(REPO, "easel.yml"), "rb").read())
    # Found by make fuzz: Yams multiplied the parts of a YAML 1.1 sexagesimal integer unchecked.
    seeds["config-sexagesimal"] = (CONFIG, b"411010:4240:40:4240110:240:40:4240110:424042400:4")
    seeds["config-models"] = (CONFIG, b"title: x\nmodels:\n  my-model:\n    like: gpt-image-2\n    sizes: [auto, 1024x1024]\n"
                              b"    flexible_sizes: {multiple_of: 16, max_ratio: 3, max: 3840x2160}\n"
                              b"    prices: {text_input: 5, per_image: {1024x1024: 0.04}}\n"
                              b"defaults:\n  quality: high\n  tags: [a, b]\n")
    fixtures = [
        ("Tests/EaselKitTests/FrontMatter/PromptDiagnosticsTests.swift", r'text: "((?:[^"\\]|\\.)*)"'),
        ("Tests/easelTests/BinaryTests.swift", r'"[a-z-]+\.md": "((?:[^"\\]|\\.)*)"'),
        ("Tests/EaselKitTests/Hostile/HostileProjectTests.swift", r'front: "((?:[^"\\]|\\.)*)"'),
    ]
    for path, pattern in fixtures:
        stem = os.path.splitext(os.path.basename(path))[0]
        for index, body in enumerate(swift_literals(path, pattern)):
            if stem == "HostileProjectTests":
                body = b"---\n" + body + b"\n---\nA cat.\n"
            seeds["prompt-%s-%02d" % (stem, index)] = (PROMPT, body)
    seeds["prompt-alias"] = (PROMPT, b"---\na: &a [x, x]\nb: [*a, *a]\ntitle: {*a: 1}\n---\nBoom.\n")
    seeds["prompt-edit-mask"] = (PROMPT, b"---\nedit:\n  image: [inputs/a.png, inputs/b.png]\n  mask: {ellipse: [10, 10, 5, 5]}\n"
                                 b"input_fidelity: high\n---\n# Title\n\n- one\n- two\n\n1. a\n2. b\n")
    seeds["record-valid"] = (RECORD, record())
    seeds["record-escape"] = (RECORD, record(file="../../../../tmp/private.png"))
    seeds["record-svg"] = (RECORD, record(fmt="svg", file="1.svg"))
    seeds["record-int-max"] = (RECORD, record(latency=9223372036854775807))
    for name, text in answers():
        seeds["answer-" + name] = (ANSWER, text.encode())
    fixtures = os.path.join(REPO, "Tests", "EaselKitTests", "Credentials", "Fixtures")
    for name in sorted(os.listdir(fixtures)):
        data = open(os.path.join(fixtures, name), "rb").read()
        seeds["credentials-" + name] = (CREDENTIALS, data)
        for index, item in enumerate(cbor_boxes(data)):
            seeds["cbor-%s-%d" % (name, index)] = (CBOR, item)

    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name, (kind, body) in sorted(seeds.items()):
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(bytes([kind]) + body)
    print(f"{len(seeds)} seeds in {os.path.relpath(OUT, REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
