#!/usr/bin/env python3
"""Check that a site Easel built publishes C2PA-signed images byte-identical and still valid.

Run by scripts/check-c2pa.sh (with the Python of its virtual environment, which has c2pa-python, the
Content Authenticity Initiative's SDK, and Pillow) on the project it made: three generations answered
with the signed PNG, JPEG and WebP of scripts/make-c2pa-fixtures.py and an edit of its edited.png.

    check-c2pa.py PROJECT --fixtures DIR --site SITE [--site SITE…] [--report BUILD.json] [--api-log LOG]
                  [--scratch DIR] [--originals 4] [--inputs 1]

For each SITE (a folder `easel build` wrote):
  - every prompt was generated or cached (no placeholder, no failure), and every file of SITE/images/ that
    is not a placeholder is byte-identical to the cache image it came from (cache/<2>/<key>/<n>.<ext>,
    found through gallery.json's key, else by SHA-256 among all cache images), and each cache image is the
    fixture the fake server answered, byte for byte;
  - each published original and each published edit input (SITE/inputs/) still carries a C2PA manifest
    that c2pa.Reader validates: state Valid or Trusted, `assertion.dataHash.match` among its successes,
    and no failure code but the trust ones (ACCEPTABLE_FAILURES); `assertion.dataHash.mismatch` means the
    bytes the signature covers were changed;
  - gallery.json describes the credentials: each `images[]` item has `credentials` {present: true,
    binding: "intact", generator, signer, signed (ISO 8601, or null when the signature has no time
    stamp), source_type, source} agreeing with what c2pa.Reader reads, and each prompt has `inputs`
    [{url, width, height, credentials}] (an empty list for a generation).
Then, once: one byte inside the IDAT data of a copy (in --scratch) of a published PNG is flipped, with its
CRC fixed, and c2pa.Reader must report `assertion.dataHash.mismatch` for it; the same is done to a copy of
the cache original as a control (valid before, mismatch after), so the check is known to be able to fail.
--report (the `easel build --json` of the second build) must say every prompt was cached and nothing was
generated, and --api-log (the fake server's --log) that only the first build sent requests.

Prints one line per problem, naming the file and the field, and exits 1 if there is any; else prints a
summary line and exits 0.
"""

import argparse
import datetime
import hashlib
import importlib.metadata
import json
import pathlib
import re
import shutil
import struct
import sys
import tempfile
import zlib

import c2pa
from PIL import Image

# Failure codes that say nothing about the bytes: the test certificate authority (and time-stamp
# authority) are not on any trust list.
ACCEPTABLE_FAILURES = {"signingCredential.untrusted", "timeStamp.untrusted"}
DATA_HASH_MISMATCH = "assertion.dataHash.mismatch"
DATA_HASH_MATCH = "assertion.dataHash.match"
SOURCES = {
    "trainedAlgorithmicMedia": "AI-generated",
    "compositeWithTrainedAlgorithmicMedia": "edited with AI",
}
FIXTURE_FOR_FORMAT = {"png": "signed.png", "jpeg": "signed.jpg", "webp": "signed.webp"}
ISO_8601 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Checker:
    def __init__(self, project):
        self.project = project
        self.problems = []

    def fail(self, where, message):
        self.problems.append(f"{where}: {message}")

    def rel(self, path):
        path = pathlib.Path(path)
        try:
            return str(path.relative_to(self.project))
        except ValueError:
            return str(path)


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def read_credentials(path):
    """What c2pa.Reader says about a file: a dict, or {"error": text} when it finds no manifest or fails."""
    try:
        with c2pa.Reader(str(path)) as reader:
            report = json.loads(reader.json())
    except Exception as error:  # C2paError.ManifestNotFound and every other reading failure
        return {"error": f"{type(error).__name__}: {error}".strip()}
    manifests = report.get("manifests") or {}
    active = manifests.get(report.get("active_manifest") or "", {})
    results = report.get("validation_results") or {}
    failures, successes = [], []
    for block in [results.get("activeManifest") or {}] + [
            d.get("validationDeltas") or {} for d in results.get("ingredientDeltas") or []]:
        failures += [item.get("code") for item in block.get("failure") or []]
        successes += [item.get("code") for item in block.get("success") or []]
    if not results:  # an older c2pa-python: only the flat list of problems
        failures = [item.get("code") for item in report.get("validation_status") or []]
    source_types = []
    for assertion in active.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                if action.get("digitalSourceType"):
                    source_types.append(action["digitalSourceType"].rsplit("/", 1)[-1])
    info = active.get("signature_info") or {}
    generators = [g.get("name") for g in active.get("claim_generator_info") or [] if g.get("name")]
    if active.get("claim_generator"):
        generators.append(active["claim_generator"])
    return {
        "state": report.get("validation_state"),
        "failures": failures,
        "successes": successes,
        "source_types": source_types,
        "generators": generators,
        "signers": [s for s in (info.get("issuer"), info.get("common_name")) if s],
        "time": info.get("time"),
    }


def check_valid(checker, path, read):
    """c2pa.Reader must find the manifest, and its data hash must still match the bytes."""
    where = checker.rel(path)
    if "error" in read:
        checker.fail(where, f"c2pa.Reader found no valid C2PA manifest ({read['error']}); the Content "
                     "Credentials were stripped or damaged")
        return False
    bad = [code for code in read["failures"] if code not in ACCEPTABLE_FAILURES]
    ok = True
    if DATA_HASH_MISMATCH in read["failures"]:
        checker.fail(where, f"c2pa.Reader reports {DATA_HASH_MISMATCH}: the bytes the signature covers were "
                     f"changed (validation state {read['state']}; all failure codes: {', '.join(read['failures'])})")
        ok = False
    elif bad:
        checker.fail(where, f"c2pa.Reader reports failure codes {', '.join(bad)} (validation state "
                     f"{read['state']}); only {', '.join(sorted(ACCEPTABLE_FAILURES))} are acceptable")
        ok = False
    elif read["state"] not in ("Valid", "Trusted") and read["state"] is not None:
        checker.fail(where, f"c2pa.Reader's validation state is {read['state']}, expected Valid or Trusted")
        ok = False
    if ok and DATA_HASH_MATCH not in read["successes"] and read["successes"]:
        checker.fail(where, f"c2pa.Reader does not report {DATA_HASH_MATCH}: the data hash was not checked")
        ok = False
    return ok


def check_gallery_credentials(checker, where, credentials, read, expected_source_type):
    """`credentials` of a gallery.json item against what c2pa.Reader read from the published file."""
    if credentials is None:
        checker.fail(where, 'no "credentials" field (expected {"present": true, "binding": "intact", '
                     '"generator", "signer", "signed", "source_type", "source"})')
        return
    if not isinstance(credentials, dict):
        checker.fail(where, f'"credentials" is {json.dumps(credentials)}, expected an object')
        return
    field = lambda name: f"{where}.credentials.{name}"  # noqa: E731
    shown = lambda name: json.dumps(credentials[name]) if name in credentials else "missing"  # noqa: E731
    if credentials.get("present") is not True:
        checker.fail(field("present"), f"is {shown('present')}, expected true")
    if credentials.get("binding") != "intact":
        checker.fail(field("binding"), f"is {shown('binding')}, expected \"intact\"")
    if credentials.get("signature") != "valid":
        checker.fail(field("signature"), f"is {shown('signature')}, expected \"valid\" (c2pa.Reader validates it)")
    for name, known in (("generator", read.get("generators") or []), ("signer", read.get("signers") or [])):
        value = credentials.get(name)
        if not isinstance(value, str) or not value.strip():
            checker.fail(field(name), f"is {shown(name)}, expected a non-empty string")
        elif known and not any(k in value for k in known):
            checker.fail(field(name), f"is {json.dumps(value)}, but c2pa.Reader reads "
                         f"{' / '.join(json.dumps(k) for k in known)}")
    if "signed" not in credentials:
        checker.fail(field("signed"), "is missing (expected an ISO 8601 time or null)")
    else:
        signed = credentials["signed"]
        if signed is None and read.get("time"):
            checker.fail(field("signed"), f"is null, but the signature carries a time stamp: c2pa.Reader reads the "
                         f"signing time {read['time']}")
        elif signed is not None and not (isinstance(signed, str) and ISO_8601.fullmatch(signed)):
            checker.fail(field("signed"), f"is {json.dumps(signed)}, expected an ISO 8601 time "
                         "(2026-01-02T03:04:05Z) or null")
        elif signed is not None and read.get("time"):
            ours = datetime.datetime.fromisoformat(signed.replace("Z", "+00:00"))
            theirs = datetime.datetime.fromisoformat(read["time"].replace("Z", "+00:00"))
            if abs((ours - theirs).total_seconds()) > 2:
                checker.fail(field("signed"), f"is {signed}, but c2pa.Reader reads the signing time {read['time']}")
    source_type = credentials.get("source_type")
    if source_type != expected_source_type:
        checker.fail(field("source_type"), f"is {shown('source_type')}, expected \"{expected_source_type}\"")
    if read.get("source_types") and expected_source_type not in read["source_types"]:
        checker.fail(where, f"c2pa.Reader reads digital source types {read['source_types']}, expected "
                     f"{expected_source_type}: the fixture is not what this check expects")
    source = credentials.get("source")
    if source != SOURCES[expected_source_type]:
        checker.fail(field("source"), f"is {shown('source')}, expected \"{SOURCES[expected_source_type]}\"")


def cache_images(project):
    """{sha256: path} of every image file in the project's cache entries."""
    found = {}
    for entry in (project / "cache").glob("*/*/entry.json"):
        for image in entry.parent.iterdir():
            if image.name != "entry.json" and image.is_file():
                found[sha256(image)] = image
    return found


def entry_record(project, key):
    path = project / "cache" / key[:2] / key / "entry.json"
    return path, json.loads(path.read_text()) if path.is_file() else None


def check_site(checker, site, fixtures, expected_originals, expected_inputs):
    """Returns (originals checked, inputs checked, one published original PNG or None)."""
    project = checker.project
    gallery_path = site / "gallery.json"
    gallery_name = checker.rel(gallery_path)
    try:
        gallery = json.loads(gallery_path.read_text())
    except (OSError, ValueError) as error:
        checker.fail(gallery_name, f"cannot be read: {error}")
        return 0, 0, None
    by_hash = cache_images(project)
    accounted = set()
    originals = inputs = 0
    some_png = None
    input_hashes = {}  # sha256 of an edit input → its project path
    for entry in (project / "cache").glob("*/*/entry.json"):
        for image in json.loads(entry.read_text()).get("request", {}).get("images") or []:
            if image.get("sha256"):
                input_hashes[image["sha256"]] = image.get("path")

    for p, prompt in enumerate(gallery.get("prompts") or []):
        where = f"{gallery_name}: prompts[{p}] ({prompt.get('file')})"
        status = prompt.get("status")
        if status not in ("generated", "cached"):
            checker.fail(where, f"status is {json.dumps(status)}, expected generated or cached (is the fake "
                         "server answering? see its log above)")
            continue
        key = prompt.get("key") or ""
        record_path, record = entry_record(project, key)
        if record is None:
            checker.fail(where, f"no cache entry {checker.rel(record_path)} for its key {json.dumps(key)}")
            continue
        cached = record.get("images") or []
        images = prompt.get("images") or []
        if len(images) != len(cached):
            checker.fail(where, f"images[] has {len(images)} items, the cache entry {len(cached)}")
        for i, item in enumerate(images):
            item_where = f"{where}.images[{i}]"
            url = item.get("url") or ""
            published = site / url
            accounted.add(url)
            if not url or not published.is_file():
                checker.fail(item_where, f"url {json.dumps(url)} is not a file of the site")
                continue
            cache_file = record_path.parent / cached[i]["file"] if i < len(cached) else None
            if cache_file is None or not cache_file.is_file():
                checker.fail(item_where, "has no cache image to compare with")
                continue
            fixture = fixtures / FIXTURE_FOR_FORMAT.get(record.get("format") or "png", "signed.png")
            if cache_file.read_bytes() != fixture.read_bytes():
                checker.fail(checker.rel(cache_file), f"is not byte-identical to the fixture {fixture.name} the "
                             "fake server answered: Easel did not cache the API's bytes as returned")
            originals += 1
            published_bytes, cache_bytes = published.read_bytes(), cache_file.read_bytes()
            if published_bytes != cache_bytes:
                checker.fail(checker.rel(published), f"is not byte-identical to {checker.rel(cache_file)} "
                             f"({len(published_bytes)} bytes, sha256 {hashlib.sha256(published_bytes).hexdigest()[:16]}…, "
                             f"against {len(cache_bytes)} bytes, {hashlib.sha256(cache_bytes).hexdigest()[:16]}…): "
                             "Easel rewrote the original it publishes")
            if published.suffix.lower() != cache_file.suffix.lower():
                checker.fail(checker.rel(published), f"has the extension {published.suffix}, the cache image "
                             f"{cache_file.suffix}")
            read = read_credentials(published)
            check_valid(checker, published, read)
            check_gallery_credentials(checker, item_where, item.get("credentials"), read, "trainedAlgorithmicMedia")
            if published.suffix.lower() == ".png" and some_png is None:
                some_png = (published, cache_file)

        # The inputs of an edit.
        where_inputs = f"{where}.inputs"
        request_inputs = (record.get("request") or {}).get("images") or []
        listed = prompt.get("inputs")
        if listed is None:
            checker.fail(where, 'no "inputs" field (expected a list of {"url", "width", "height", '
                         '"credentials"}, empty for a generation)')
        elif not isinstance(listed, list):
            checker.fail(where_inputs, f"is {json.dumps(listed)}, expected a list")
        elif len(listed) != len(request_inputs):
            checker.fail(where_inputs, f"has {len(listed)} items, but the request had {len(request_inputs)} "
                         "input images")
        else:
            for j, (item, sent) in enumerate(zip(listed, request_inputs)):
                item_where = f"{where_inputs}[{j}]"
                url = (item.get("url") or "") if isinstance(item, dict) else ""
                published = site / url
                if not url or not published.is_file():
                    checker.fail(item_where, f"url {json.dumps(url)} is not a file of the site")
                    continue
                if sha256(published) != sent.get("sha256"):
                    checker.fail(checker.rel(published), f"is not byte-identical to the input {sent.get('path')}")
                with Image.open(published) as picture:
                    size = picture.size
                if (item.get("width"), item.get("height")) != size:
                    checker.fail(item_where, f"width and height are {item.get('width')}x{item.get('height')}, "
                                 f"the file is {size[0]}x{size[1]}")
                read = read_credentials(published)
                check_gallery_credentials(checker, item_where, item.get("credentials"), read,
                                          "compositeWithTrainedAlgorithmicMedia")

    # Every published original, including any gallery.json does not list.
    for published in sorted((site / "images").iterdir()) if (site / "images").is_dir() else []:
        url = f"images/{published.name}"
        if url in accounted:
            continue
        if published.name.startswith("placeholder-"):
            checker.fail(checker.rel(published), "is a placeholder: a prompt was not generated")
            continue
        digest = sha256(published)
        if digest in by_hash:
            checker.fail(checker.rel(published), "is not listed in gallery.json")
        else:
            checker.fail(checker.rel(published), "is byte-identical to no cache image and not listed in "
                         "gallery.json")

    # The edit inputs as published (found by their bytes: they must be the project's files unchanged).
    published_inputs = sorted(p for p in (site / "inputs").iterdir()) if (site / "inputs").is_dir() else []
    matched = {sha256(p): p for p in published_inputs}
    for digest, path in sorted(input_hashes.items(), key=lambda x: str(x[1])):
        published = matched.get(digest)
        if published is None:
            checker.fail(f"{checker.rel(site / 'inputs')}/", f"holds no file byte-identical to the edit input "
                         f"{path} (sha256 {digest[:16]}…)")
            continue
        inputs += 1
        check_valid(checker, published, read_credentials(published))

    if originals != expected_originals:
        checker.fail(checker.rel(site), f"{originals} published originals checked, expected {expected_originals}")
    if inputs != expected_inputs:
        checker.fail(checker.rel(site), f"{inputs} published edit inputs checked, expected {expected_inputs}")
    return originals, inputs, some_png


def flipped_copy(source, scratch, name):
    """A copy of a PNG with one byte in the middle of its first IDAT's data inverted, and that chunk's CRC
    fixed, so the file is still a well-formed PNG and only a content hash can tell."""
    data = bytearray(pathlib.Path(source).read_bytes())
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(f"{source} is not a PNG")
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT" and length > 0:
            data[pos + 8 + length // 2] ^= 0xFF
            crc = zlib.crc32(bytes(data[pos + 4:pos + 8 + length]))
            data[pos + 8 + length:pos + 12 + length] = struct.pack(">I", crc)
            out = scratch / name
            out.write_bytes(bytes(data))
            return out
        pos += 12 + length
    raise ValueError(f"{source} has no IDAT chunk")


def check_flip(checker, published, cache_file, scratch):
    """A flipped byte must be caught: on a copy of the published PNG, and on a copy of its cache original."""
    notes = []
    for label, source in (("published", published), ("cache", cache_file)):
        before = read_credentials(source)
        copy = flipped_copy(source, scratch, f"flipped-{label}{source.suffix}")
        after = read_credentials(copy)
        where = f"{checker.rel(source)} (a copy with one IDAT byte flipped, {copy})"
        if "error" in after:
            checker.fail(where, f"c2pa.Reader could not read it ({after['error']}), expected a report of "
                         f"{DATA_HASH_MISMATCH}")
        elif DATA_HASH_MISMATCH not in after["failures"]:
            checker.fail(where, f"c2pa.Reader does not report {DATA_HASH_MISMATCH} (state {after['state']}, "
                         f"failures {after['failures'] or 'none'}): this check could not see a changed image")
        already = "error" in before or DATA_HASH_MISMATCH in before.get("failures", [])
        notes.append(f"{label} copy: {'already failing before the flip, ' if already else ''}"
                     f"{DATA_HASH_MISMATCH} after")
        if label == "cache" and already:
            checker.fail(checker.rel(source), "the cache original does not validate before the flip, so the "
                         "control is void")
    return "; ".join(notes)


def check_report(checker, report_path, prompts):
    try:
        report = json.loads(pathlib.Path(report_path).read_text())
    except (OSError, ValueError) as error:
        checker.fail(str(report_path), f"the JSON report of the second build cannot be read: {error}")
        return
    where = f"{report_path} (easel build --json, the second build)"
    for name, expected in (("generated", 0), ("cached", prompts), ("failed", 0), ("placeholders", 0)):
        if report.get(name) != expected:
            checker.fail(where, f"{name} is {json.dumps(report.get(name))}, expected {expected}")


def check_api_log(checker, log_path, requests):
    try:
        lines = [json.loads(line) for line in pathlib.Path(log_path).read_text().splitlines() if line.strip()]
    except (OSError, ValueError) as error:
        checker.fail(str(log_path), f"the fake server's log cannot be read: {error}")
        return
    statuses = [line.get("status") for line in lines]
    if len(lines) != requests or any(s != 200 for s in statuses):
        checker.fail(str(log_path), f"the fake server saw {len(lines)} requests (statuses {statuses}), expected "
                     f"{requests}, all 200, all from the first build")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=pathlib.Path)
    parser.add_argument("--fixtures", type=pathlib.Path, required=True)
    parser.add_argument("--site", type=pathlib.Path, action="append", required=True)
    parser.add_argument("--report", type=pathlib.Path)
    parser.add_argument("--api-log", type=pathlib.Path)
    parser.add_argument("--scratch", type=pathlib.Path, help="where the flipped copies go (default: a temp dir)")
    parser.add_argument("--originals", type=int, default=4, help="published originals expected per site")
    parser.add_argument("--inputs", type=int, default=1, help="published edit inputs expected per site")
    args = parser.parse_args()
    project = args.project.resolve()
    checker = Checker(project)
    scratch = args.scratch or pathlib.Path(tempfile.mkdtemp(prefix="check-c2pa-flip-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        counts, flip_source = [], None
        for site in args.site:
            site = (project / site).resolve()
            originals, inputs, some_png = check_site(checker, site, args.fixtures.resolve(), args.originals,
                                                     args.inputs)
            counts.append(f"{checker.rel(site)}: {originals} originals, {inputs} input")
            flip_source = flip_source or some_png
        prompts = len(list((project / "prompts").rglob("*.md")))  # one request each
        if args.report:
            check_report(checker, args.report, prompts)
        if args.api_log:
            check_api_log(checker, args.api_log, prompts)
        if flip_source is None:
            checker.fail("flip check", "no published PNG original to flip a byte of")
            flip_note = "not run"
        else:
            flip_note = check_flip(checker, flip_source[0], flip_source[1], scratch)
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    version = importlib.metadata.version("c2pa-python")
    if checker.problems:
        for problem in checker.problems:
            print(f"check-c2pa: FAIL {problem}", file=sys.stderr)
        print(f"check-c2pa: {len(checker.problems)} problems (c2pa-python {version}; {'; '.join(counts)}; "
              f"flip check: {flip_note})", file=sys.stderr)
        sys.exit(1)
    print(f"check-c2pa: ok with c2pa-python {version}: {'; '.join(counts)}, byte-identical to the cache, "
          f"credentials valid and described in gallery.json; flip check: {flip_note}")


if __name__ == "__main__":
    main()
