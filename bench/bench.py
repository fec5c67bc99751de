#!/usr/bin/env python3
"""Easel's benchmark driver (SPEC §8). Run it through bench/run.sh, which installs the tools first.

Everything it makes lives in bench/.work/ (git-ignored); the results go to bench/results/.
Standard library only. See bench/README.md for what each number means.
"""

import argparse
import concurrent.futures
import datetime
import hashlib
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
NPROC = os.cpu_count() or 1
THUMB_WIDTHS = [320, 640, 960]  # Sources/EaselKit/Rendering/SiteRenderer.swift `thumbnailWidths`
# Thumbnailer(quality: 72); Thumbnailer.effort(bytes:pixels:format:) picks libwebp's effort 1 for photo-like
# sources (a PNG of at least 1 byte a pixel: every picture of the pool), so vipsthumbnail is given the same.
WEBP_Q, WEBP_EFFORT = 72, 1
THUMB_PROMPTS = 250  # originals in the cold-thumbnail comparison (--thumb-prompts)
POOL_SIZE = 48
POOL_VERSION = "pool-v1"  # change when the recipe below changes: the pool is then made again
PROJECT_VERSION = "project-v1"
MIB = 1024 * 1024
RSS_TARGET_MIB = 150
GEN_N, GEN_LATENCY, GEN_CONCURRENCY = 40, 0.3, 8
# Peak memory against a hostile server (scripts/fake-images-api.py --hostile big-images): HOSTILE_PROMPTS prompts
# of n: HOSTILE_N, each image a PNG of HOSTILE_IMAGE_MB MiB, at --concurrency HOSTILE_CONCURRENCY.
HOSTILE_PROMPTS, HOSTILE_N, HOSTILE_IMAGE_MB, HOSTILE_CONCURRENCY = 8, 10, 64, 8
HOSTILE_RSS_TARGET_MIB = 300


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def die(message):
    log("error: " + message)
    sys.exit(2)


def run(cmd, check=True, **kw):
    """Runs a command quietly; its output is shown only when it fails."""
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if check and result.returncode != 0:
        die(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stdout[-4000:]}")
    return result


# Machine ---------------------------------------------------------------------------------------------


def first_line(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60).stdout
        return next((line.strip() for line in out.splitlines() if line.strip()), "?")
    except (OSError, subprocess.TimeoutExpired):
        return "not available"


def machine(tools):
    cpuinfo = open("/proc/cpuinfo", encoding="utf-8").read()
    models = re.findall(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mhz = re.findall(r"^cpu MHz\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = open("/proc/meminfo", encoding="utf-8").read()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    os_name = "?"
    if os.path.exists("/etc/os-release"):
        os_name = re.search(r'PRETTY_NAME="?([^"\n]*)', open("/etc/os-release").read()).group(1)
    df = subprocess.run(["df", "-hT", HERE], stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1].split()
    disk = f"{df[1]} filesystem on {df[0]}, {df[2]} total, {df[4]} free"
    rotational = "?"
    try:
        dev = os.path.basename(os.path.realpath(df[0]))
        base = re.sub(r"p?\d+$", "", dev) if not os.path.exists(f"/sys/block/{dev}") else dev
        rotational = {"0": "SSD/virtual (non-rotational)", "1": "rotational"}.get(
            open(f"/sys/block/{base}/queue/rotational").read().strip(), "?")
    except OSError:
        pass
    git = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], check=False).stdout.strip()
    dirty = run(["git", "-C", REPO, "status", "--porcelain", "--", "Sources", "Package.swift", "templates"],
                check=False).stdout.strip()
    return {
        "cpu_model": models[0] if models else platform.processor() or "?",
        "cpu_count": len(models) or NPROC,
        "cpu_mhz": mhz[0] if mhz else "?",
        "nproc": NPROC,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "disk": f"{disk}, {rotational}",
        "os": f"{os_name}, kernel {platform.release()}",
        "swift": first_line(["swift", "--version"]),
        "libvips": first_line(["vips", "--version"]),
        "vipsthumbnail": first_line(["vipsthumbnail", "--vips-version"]),
        "hugo": first_line([tools["hugo"], "version"]) if tools.get("hugo") else "not installed",
        "sigal": first_line([tools["sigal"], "--version"]) if tools.get("sigal") else "not installed",
        "python": platform.python_version(),
        "easel_commit": git + (" + uncommitted changes in Sources/templates" if dirty else ""),
        "easel_binary": tools["easel_info"],
    }


# Measuring -------------------------------------------------------------------------------------------


def cpu_busy_seconds():
    """Seconds of CPU time spent by everything on the machine so far (all cores added up)."""
    fields = open("/proc/stat").readline().split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_wait, threshold=0.25):
    """Waits (up to max_wait seconds) until other processes use under `threshold` of one core; returns
    the load seen last, in cores."""
    deadline = time.monotonic() + max_wait
    while True:
        before = cpu_busy_seconds()
        time.sleep(0.5)
        load = (cpu_busy_seconds() - before) / 0.5
        if load < threshold or time.monotonic() >= deadline:
            return load
        time.sleep(2)


def child_pid(pid):
    """The first child process of `pid` (the command /usr/bin/time runs), or None."""
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return None
    return int(children[0]) if children else None


def resident_mib(pid):
    try:
        status = open(f"/proc/{pid}/status").read()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


class Runner:
    def __init__(self, args):
        self.args = args
        self.noisy = []  # runs during which other processes used the CPU a lot

    def timed(self, label, cmd, env=None, cwd=None, check_json=False, allow_failure=False, rss_cap_mib=None):
        """Runs `cmd` under /usr/bin/time -v; returns a dict with wall seconds, peak RSS (MiB), CPU seconds,
        the CPU other processes used meanwhile (cores) and, with check_json, the parsed standard output.

        The peak RSS is the command's own (its rusage, from /usr/bin/time): not the harness's, nor that of a
        server it talks to. With allow_failure, a failing command is measured too, and the result adds its
        exit status and the end of its standard error. With rss_cap_mib, the command is killed as soon as its
        resident set is seen above that many MiB (checked every 0.2 s; the result then says "killed_above_mib"),
        so that a runaway cannot take the machine's memory."""
        # Start every tool with no dirty pages waiting for the disk: otherwise the writeback of what the
        # previous run wrote (gigabytes after the thumbnail runs) lands on whichever tool runs next.
        os.sync()
        idle_load = wait_quiet(self.args.max_wait)
        with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
            timefile = tf.name
        busy0 = cpu_busy_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", timefile, *cmd], env=env, cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed_above = None
        while True:
            try:
                stdout, stderr = proc.communicate(timeout=0.2 if rss_cap_mib else None)
                break
            except subprocess.TimeoutExpired:  # communicate() keeps what it read so far
                child = child_pid(proc.pid)
                if killed_above is None and child and resident_mib(child) > rss_cap_mib:
                    killed_above = rss_cap_mib
                    log(f"  {label}: resident set above {rss_cap_mib} MiB: killing it")
                    try:
                        os.kill(child, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        wall = time.perf_counter() - start
        busy = cpu_busy_seconds() - busy0
        info = open(timefile).read()
        os.unlink(timefile)
        if proc.returncode != 0 and not allow_failure:
            die(f"{label}: {' '.join(cmd)} exited {proc.returncode}\nstdout: {stdout[-3000:]}\n"
                f"stderr: {stderr[-3000:]}")
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", info).group(1))
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", info).group(1))
        system = float(re.search(r"System time \(seconds\): ([\d.]+)", info).group(1))
        foreign = max(0.0, (busy - user - system) / wall) if wall > 0 else 0.0
        result = {"wall": round(wall, 4), "rss_mib": round(rss_kb / 1024, 1), "cpu": round(user + system, 3),
                  "other_load_cores": round(foreign, 2), "load_before_cores": round(idle_load, 2)}
        if foreign > 0.25:
            self.noisy.append(f"{label}: other processes used {foreign:.2f} cores during the run")
        if allow_failure:
            result.update(exit_status=proc.returncode, stderr_tail=stderr[-2000:], killed_above_mib=killed_above)
        if check_json:
            result["report"] = json.loads(stdout)
        log(f"  {label}: {wall:.3f} s, peak RSS {rss_kb / 1024:.1f} MiB"
            + (f" (other load {foreign:.2f} cores)" if foreign > 0.1 else ""))
        return result


def summary(runs):
    walls = [r["wall"] for r in runs]
    return {"median": round(statistics.median(walls), 4), "min": round(min(walls), 4), "max": round(max(walls), 4),
            "rss_max_mib": max(r["rss_mib"] for r in runs), "rss_median_mib": statistics.median(r["rss_mib"] for r in runs),
            "runs": runs}


# The image pool --------------------------------------------------------------------------------------


def make_pool_image(path, index):
    """A 1024² RGB PNG like the API's: colour blobs (a small noise grid enlarged) with fine grain, lightly
    blurred, saved with every PNG filter at compression 6. Seeded by `index`, so the pool is reproducible."""
    rng = random.Random(index)
    grid = rng.choice([8, 16, 32])
    grain = 16 + (index * 7) % 19  # 16…34
    blur = 0.5 + ((index * 5) % 7) * 0.05  # 0.5…0.8
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path)) as tmp:
        bands = []
        for b in range(3):
            lo, big, hi, band = (os.path.join(tmp, f"{n}{b}.v") for n in ("lo", "big", "hi", "band"))
            run(["vips", "gaussnoise", lo, str(grid), str(grid), "--seed", str(index * 10 + b + 1),
                 "--mean", str(rng.randint(70, 180)), "--sigma", str(rng.randint(35, 60))])
            run(["vips", "resize", lo, big, str(1024 / grid), "--kernel", "cubic"])
            run(["vips", "gaussnoise", hi, "1024", "1024", "--seed", str(index * 10 + b + 5000),
                 "--mean", "0", "--sigma", str(grain)])
            run(["vips", "add", big, hi, band])
            bands.append(band)
        joined, blurred, cast, srgb = (os.path.join(tmp, n + ".v") for n in ("joined", "blurred", "cast", "srgb"))
        run(["vips", "bandjoin", " ".join(bands), joined])
        run(["vips", "gaussblur", joined, blurred, f"{blur:.2f}"])
        run(["vips", "cast", joined if blur == 0 else blurred, cast, "uchar"])
        run(["vips", "copy", cast, srgb, "--interpretation", "srgb"])
        run(["vips", "pngsave", srgb, path + ".tmp.png", "--compression", "6", "--filter", "all"])
        os.replace(path + ".tmp.png", path)


def ensure_pool(work):
    pool = os.path.join(work, "pool")
    stamp = os.path.join(pool, ".recipe")
    names = [os.path.join(pool, f"pool-{i:02d}.png") for i in range(POOL_SIZE)]
    if os.path.exists(stamp) and open(stamp).read() == POOL_VERSION and all(map(os.path.exists, names)):
        log(f"image pool: {POOL_SIZE} PNGs in {pool} (kept)")
    else:
        shutil.rmtree(pool, ignore_errors=True)
        os.makedirs(pool)
        log(f"image pool: making {POOL_SIZE} 1024x1024 PNGs with vips ({NPROC} at a time)…")
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(NPROC) as executor:
            list(executor.map(make_pool_image, names, range(POOL_SIZE)))
        open(stamp, "w").write(POOL_VERSION)
        log(f"image pool made in {time.monotonic() - started:.0f} s")
    sizes = [os.path.getsize(n) for n in names]
    log(f"image pool sizes: {min(sizes) / 1e6:.2f}–{max(sizes) / 1e6:.2f} MB, mean {statistics.mean(sizes) / 1e6:.2f} MB")
    return pool, sizes


# The synthetic project -------------------------------------------------------------------------------

SUBJECTS = ["lighthouse", "fox", "tram", "greenhouse", "violinist", "glacier", "bakery", "heron", "observatory",
            "orchard", "submarine", "windmill", "market stall", "cathedral", "tortoise", "radio tower", "ferry",
            "library", "beekeeper", "canyon", "paper kite", "robot gardener", "night train", "tea house"]
PLACES = ["on a foggy coast", "in a snowy valley", "above a desert town", "beside a canal", "in a rainforest",
          "on the Moon", "under northern lights", "in a Carpathian village", "at a harbour", "on a rooftop",
          "in a salt flat", "inside a cave", "at a night market", "in an old quarry", "on a floating island"]
STYLES = ["watercolour", "oil painting", "35 mm photograph", "isometric illustration", "linocut print",
          "ukiyo-e woodblock", "pencil sketch", "studio photograph", "gouache poster", "claymation still",
          "cinematic still", "pixel art", "charcoal drawing", "risograph print"]
LIGHTS = ["at golden hour", "at dawn", "at blue hour", "under a storm", "at noon", "by candlelight",
          "in soft overcast light", "in neon light", "by moonlight"]
DETAILS = ["Muted palette, a single red accent.", "High contrast, deep shadows.", "Pastel tones, lots of air.",
           "Wide shot, the subject small in the frame.", "Close-up, shallow depth of field.",
           "Symmetrical composition.", "Long exposure, soft water.", "Grain and slight vignette."]
TAGS = ["warm", "cold", "night", "day", "animal", "building", "vehicle", "people", "water", "mountain",
        "retro", "minimal"]
ALBUMS = ["landscapes", "architecture", "creatures", "space/stations", "space/planets", ""]


def prompt_file(i, rng):
    subject, place, style, light = (rng.choice(x) for x in (SUBJECTS, PLACES, STYLES, LIGHTS))
    album = ALBUMS[i % len(ALBUMS)]
    tags = sorted(rng.sample(TAGS, rng.randint(1, 3)))
    title = f"{subject.capitalize()} {place}, no. {i + 1}"
    body = (f"A {style} of a *{subject}* {place} {light}, study number {i + 1}. "
            f"{rng.choice(DETAILS)} {rng.choice(DETAILS)}")
    if i % 5 == 0:
        body += f"\n\n- foreground: the {subject}\n- background: {rng.choice(PLACES)}\n- mood: **{rng.choice(TAGS)}**"
    front = f"---\ntags: [{', '.join(tags)}]\n"
    if i % 3 == 0:
        front += f"date: 2026-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
    front += "---\n"
    slug = f"{subject.replace(' ', '-')}-{i + 1:04d}"
    return os.path.join(album, slug + ".md") if album else slug + ".md", f"{front}# {title}\n\n{body}\n"


EASEL_YML = """title: {title}
description: A synthetic gallery of {n} prompts for Easel's benchmark (bench/run.sh).
concurrency: 16
defaults:
  model: gpt-image-2
  size: 1024x1024
  quality: medium
"""


def write_project(folder, n):
    """Writes (only when it differs) a project of `n` distinct prompts; returns the prompt files' paths."""
    os.makedirs(os.path.join(folder, "prompts"), exist_ok=True)
    rng = random.Random(20261125)
    wanted = {}
    for i in range(n):
        rel, text = prompt_file(i, rng)
        wanted[os.path.join("prompts", rel)] = text
    for root, _, files in os.walk(os.path.join(folder, "prompts")):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), folder)
            if rel not in wanted:
                os.unlink(os.path.join(root, f))
    for rel, text in wanted.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
            open(path, "w", encoding="utf-8").write(text)
    set_title(folder, n, "Benchmark gallery")
    return sorted(wanted)


def set_title(folder, n, title):
    path = os.path.join(folder, "easel.yml")
    text = EASEL_YML.format(title=title, n=n)
    if not os.path.exists(path) or open(path).read() != text:
        open(path, "w").write(text)


class FakeAPI:
    """scripts/fake-images-api.py on a free port, stopped on exit."""

    def __init__(self, *extra):
        self.proc = subprocess.Popen([sys.executable, os.path.join(REPO, "scripts", "fake-images-api.py"),
                                      "--port", "0", "--quiet", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://\S+", line)
        if not match:
            self.stop()
            die(f"the fake API did not start: {line}{self.proc.stdout.read()[:2000]}")
        self.url = match.group(0)

    def env(self):
        env = clean_env()
        env.update(OPENAI_BASE_URL=self.url, OPENAI_API_KEY="sk-bench")
        return env

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def clean_env():
    """The environment without any API setting, so that an --offline build is offline whatever the shell has."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("OPENAI_", "AZURE_OPENAI_"))}


def fill_cache(easel, project, pool, n):
    """Setup, not measured: generates every prompt against the fake API answering with pool PNGs."""
    api = FakeAPI("--image-dir", pool, "--latency", "0")
    try:
        started = time.monotonic()
        proc = subprocess.run([easel, "build", project, "--yes", "--concurrency", "16", "--json"], env=api.env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            die(f"filling the cache failed ({proc.returncode}): {proc.stderr[-3000:]}")
        report = json.loads(proc.stdout)
    finally:
        api.stop()
    if report["generated"] + report["cached"] != n or report["failed"] or report["placeholders"]:
        die(f"filling the cache: expected {n} prompts generated or cached, got {report['generated']} generated, "
            f"{report['cached']} cached, {report['failed']} failed, {report['placeholders']} placeholders")
    log(f"cache: {report['generated']} generated, {report['cached']} already cached "
        f"({time.monotonic() - started:.0f} s)")


def check_offline_report(report, n, label):
    if report["cached"] != n or report["placeholders"] or report["failed"]:
        die(f"{label}: expected {n} cached prompts, got {report['cached']} cached, "
            f"{report['placeholders']} placeholders, {report['failed']} failed: the cache does not match the prompts")


def dir_stats(folder, suffixes):
    count = total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith(suffixes):
                count += 1
                total += os.path.getsize(os.path.join(root, f))
    return count, total


# The large gallery: 10,000 prompts ---------------------------------------------------------------------

SMALL_POOL = 12


def ensure_small_pool(work):
    """12 noisy 256×256 PNGs: the large gallery measures pages and bookkeeping, not image bytes (10,000
    originals of 2 MB would be 20 GB in the cache and as much again in the site)."""
    pool = os.path.join(work, "pool-small")
    os.makedirs(pool, exist_ok=True)
    for i in range(SMALL_POOL):
        path = os.path.join(pool, f"small-{i:02d}.png")
        if os.path.exists(path):
            continue
        with tempfile.TemporaryDirectory(dir=pool) as tmp:
            band, joined, cast, srgb = (os.path.join(tmp, n + ".v") for n in ("band", "joined", "cast", "srgb"))
            run(["vips", "gaussnoise", band, "256", "256", "--seed", str(i + 1), "--mean", "128", "--sigma", "40"])
            run(["vips", "bandjoin", f"{band} {band} {band}", joined])
            run(["vips", "cast", joined, cast, "uchar"])
            run(["vips", "copy", cast, srgb, "--interpretation", "srgb"])
            run(["vips", "pngsave", srgb, path + ".tmp.png"])
            os.replace(path + ".tmp.png", path)
    return pool


def retitle_prompt(path, take):
    """Changes the title (first heading) of one prompt file; returns nothing."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"^# (.*?)(?: \(take \d+\))?$", lambda m: f"# {m.group(1)} (take {take})", text, count=1, flags=re.M)
    open(path, "w", encoding="utf-8").write(text)


def serve_reload(easel, project, prompt, env, runs):
    """`easel serve` on the project: seconds from saving a prompt to the `reload` event on the page's event
    stream (the poll interval included), `runs` times; None when serve cannot be started."""
    port_file = os.path.join(project, ".easel", "bench-serve.log")
    proc = subprocess.Popen([easel, "serve", project, "--port", "0"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if not line:
                break
            match = re.search(r"http://127\.0\.0\.1:\d+", line)
            if match:
                url = match.group(0)
        if url is None:
            return None
        import http.client
        host, port = url.split("//")[1].split(":")
        times = []
        for r in range(runs):
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request("GET", "/_easel/events")
            response = conn.getresponse()
            response.fp.readline()  # the stream is open once its first line arrives
            time.sleep(0.5)
            retitle_prompt(prompt, 100 + r)
            saved = time.monotonic()
            while True:
                line = response.fp.readline().decode("utf-8", "replace")
                if not line:
                    break
                if "reload" in line:
                    times.append(time.monotonic() - saved)
                    break
            conn.close()
        return times or None
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def large_gallery(runner, easel, args, work):
    """Site-wide re-render, one prompt edited, nothing changed and `serve`'s reload on a gallery of
    args.large_prompts prompts, and Hugo building the same pages."""
    n = args.large_prompts
    runs = 1 if args.quick else 3
    pool = ensure_small_pool(work)
    project = os.path.join(work, f"gallery-large-{n}")
    files = write_project(project, n)
    log(f"e. large gallery: {n} prompts in {project} (256-px originals), {runs} runs each")
    fill_cache(easel, project, pool, n)
    env = clean_env()
    offline = [easel, "build", project, "--offline", "--json"]
    runner.timed("easel large, warm-up", offline, env=env)
    edited = os.path.join(project, files[len(files) // 2])
    wide, one, nothing, hugo_runs = [], [], [], []
    hugo_dir = os.path.join(work, "hugo-large")
    if args.hugo:
        hugo_site(hugo_dir, os.path.join(project, "site"), project, n)
    for r in range(runs):
        set_title(project, n, f"Benchmark gallery, large take {r + 1}")
        m = runner.timed(f"easel large, title changed, run {r + 1}", offline, env=env, check_json=True)
        check_offline_report(m.pop("report"), n, "large re-render")
        wide.append(m)
        retitle_prompt(edited, r + 1)
        m = runner.timed(f"easel large, one prompt edited, run {r + 1}", offline, env=env, check_json=True)
        report = m.pop("report")
        check_offline_report(report, n, "large, one prompt edited")
        m["pages_rendered"] = report.get("pages_rendered")
        one.append(m)
        m = runner.timed(f"easel large, nothing changed, run {r + 1}", offline, env=env, check_json=True)
        check_offline_report(m.pop("report"), n, "large no-op")
        nothing.append(m)
        if args.hugo:
            m = runner.timed(f"hugo large, run {r + 1}", [args.hugo, "--quiet", "--source", hugo_dir])
            hugo_runs.append(m)
    set_title(project, n, "Benchmark gallery")
    site = os.path.join(project, "site")
    largest = max((os.path.getsize(os.path.join(d, f)), os.path.relpath(os.path.join(d, f), site))
                  for d, _, fs in os.walk(site) for f in fs if f.endswith(".html"))
    reload_times = serve_reload(easel, project, edited, env, runs)
    result = {"prompts": n, "sitewide": summary(wide), "one_edited": summary(one), "noop": summary(nothing),
              "largest_page": {"bytes": largest[0], "path": largest[1]},
              "serve_reload": {"median": round(statistics.median(reload_times), 4), "runs": reload_times}
              if reload_times else None}
    if hugo_runs:
        result["hugo"] = summary(hugo_runs)
    return result


def large_rows(row, big):
    n = big["prompts"]
    h = big.get("hugo")
    comparator = f"hugo ({n} pages)" if h else "hugo: not installed"
    hs = h["median"] if h else None
    for key, name, target, limit in (("one_edited", f"{n} prompts: one prompt edited, vs Hugo's full build", "≤ 0.05×", 0.05),
                                     ("noop", f"{n} prompts: nothing changed, vs Hugo", "≤ 0.05×", 0.05),
                                     ("sitewide", f"{n} prompts: site-wide re-render (title changed), vs Hugo", "≤ 0.7×", 0.7)):
        m = big[key]
        row(name, m["median"], hs, comparator, target, ratio(m["median"], hs) <= limit if hs else None, m["rss_max_mib"])
    peak = max(big[k]["rss_max_mib"] for k in ("one_edited", "noop", "sitewide"))
    row(f"{n} prompts: peak memory", None, None, "—", "≤ 200 MiB", peak <= 200, peak)
    page = big["largest_page"]
    row(f"{n} prompts: largest HTML page ({page['path']}, {page['bytes'] / 1e6:.2f} MB)", None, None, "—", "≤ 1 MB",
        page["bytes"] <= 1_000_000, 0.0)
    reload = big.get("serve_reload")
    row(f"{n} prompts: serve, prompt saved → reload event", reload["median"] if reload else None, None, "—",
        "≤ 0.3 s", reload["median"] <= 0.3 if reload else None, 0.0, "" if reload else "serve did not start")


def hostile_memory(runner, easel, work, cap_mib):
    """Peak RSS of `easel build DIR --yes --concurrency 8` against scripts/fake-images-api.py --hostile big-images:
    HOSTILE_PROMPTS new prompts of n: HOSTILE_N, so every request slot is busy with an answer of ten
    HOSTILE_IMAGE_MB-MiB PNGs (about 850 MiB of JSON each). One run: a peak of memory does not need a median.
    The server is a separate process, not under /usr/bin/time, so neither its memory nor its copy of the PNGs
    counts. The project is deleted afterwards (the images take about 10 GB with the site)."""
    project = os.path.join(work, "hostile-memory")
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(os.path.join(project, "prompts"))
    open(os.path.join(project, "easel.yml"), "w").write("title: Hostile-server memory benchmark\n")
    for i in range(HOSTILE_PROMPTS):
        open(os.path.join(project, "prompts", f"p{i + 1}.md"), "w").write(
            f"---\nmodel: gpt-image-2\nn: {HOSTILE_N}\n---\nA lighthouse at dusk, study {i + 1} for a hostile server.\n")
    expected = HOSTILE_PROMPTS * HOSTILE_N
    log(f"d. peak memory against a hostile server: {HOSTILE_PROMPTS} prompts × n: {HOSTILE_N}, "
        f"{HOSTILE_IMAGE_MB} MiB PNGs, --concurrency {HOSTILE_CONCURRENCY} (killed above {cap_mib} MiB)")
    api = FakeAPI("--hostile", "big-images", "--image-mb", str(HOSTILE_IMAGE_MB))
    try:
        env = clean_env()
        env.update(OPENAI_BASE_URL=api.url, OPENAI_API_KEY="sk-test")
        m = runner.timed("easel build, hostile server", [easel, "build", project, "--yes", "--concurrency",
                                                         str(HOSTILE_CONCURRENCY)],
                         env=env, allow_failure=True, rss_cap_mib=cap_mib)
    finally:
        api.stop()
    images = 0
    cache = os.path.join(project, "cache")
    for root, dirs, files in os.walk(cache):
        dirs[:] = [d for d in dirs if d != ".tmp"]  # the staging area: nothing there has landed
        images += sum(1 for f in files if f != "entry.json" and os.path.relpath(root, cache).count(os.sep) == 1)
    m.update(images=images, expected_images=expected, prompts=HOSTILE_PROMPTS, n=HOSTILE_N,
             image_mib=HOSTILE_IMAGE_MB, concurrency=HOSTILE_CONCURRENCY, cap_mib=cap_mib)
    log(f"  exit status {m['exit_status']}, {images} of {expected} images in the cache"
        + (f", killed above {cap_mib} MiB" if m["killed_above_mib"] else ""))
    if m["exit_status"] != 0:
        log("  its standard error ends with:\n    " + "\n    ".join(m["stderr_tail"].strip().splitlines()[-6:]))
    shutil.rmtree(project, ignore_errors=True)
    return m


def hostile_memory_row(h):
    ok = h["exit_status"] == 0 and h["images"] == h["expected_images"] and h["rss_mib"] < HOSTILE_RSS_TARGET_MIB
    note = (f"exit status {h['exit_status']}, {h['images']}/{h['expected_images']} images in the cache"
            + (f", killed when above {h['killed_above_mib']} MiB" if h["killed_above_mib"] else ""))
    return {"measurement": f"peak memory, easel build against a hostile server ({h['prompts']} prompts × n: {h['n']}, "
                           f"{h['image_mib']} MiB PNGs, --concurrency {h['concurrency']})",
            "easel_s": h["wall"], "comparator": "—", "comparator_s": None, "ratio": None,
            "target": f"< {HOSTILE_RSS_TARGET_MIB} MiB, every image stored", "pass": ok,
            "easel_rss_mib": h["rss_mib"], "note": note}


# Comparators: vipsthumbnail, sigal, Hugo ------------------------------------------------------------


VIPS_BATCH = 8


def vipsthumbnail_cmd(sources_list, out):
    """nproc processes via xargs -P, each given VIPS_BATCH originals, making the three widths of each: one
    vipsthumbnail call per width (a separate decode of the PNG per width: the tool makes one size per call)."""
    widths = " ".join(str(w) for w in sorted(THUMB_WIDTHS, reverse=True))
    script = (f'for w in {widths}; do vipsthumbnail --size "${{w}}x>" '
              f'-o "{out}/%s-$w.webp[Q={WEBP_Q},effort={WEBP_EFFORT},strip]" "$@" || exit 255; done')
    return ["sh", "-c", f'xargs -0 -n {VIPS_BATCH} -P {NPROC} sh -c \'{script}\' sh < "{sources_list}"']


SIGAL_COMMON = """# Generated by bench/bench.py.
source = "src"
title = "Benchmark gallery"
img_processor = "ResizeToFit"   # scale to fit img_size, keeping the ratio (no crop), never enlarging
img_format = "WEBP"             # Pillow's WebP encoder at its defaults (quality 80, method 4): sigal passes
                                # no quality for PNG sources
keep_orig = False
use_orig = False
autorotate_images = True        # sigal's default; the PNGs carry no EXIF orientation
write_html = False              # no pages: sigal's page writer would make a 200x150 thumbnail of every
                                # image, one at a time in the main process
zip_gallery = False
"""

# The same three widths as Easel, in the fewest runs sigal allows: one makes the 960-px image and, from it,
# the 320-px thumbnail (sigal's two outputs per image); a second makes the 640-px image.
SIGAL_CONFS = {
    "960+320": SIGAL_COMMON + 'destination = "out-960+320"\nimg_size = (960, 960)\nmake_thumbs = True\n'
                              'thumb_size = (320, 320)\nthumb_fit = False\n',
    "640": SIGAL_COMMON + 'destination = "out-640"\nimg_size = (640, 640)\nmake_thumbs = False\n',
}
# For reference only: one 960-px WebP per original, a third of Easel's files.
SIGAL_CONF_960 = SIGAL_COMMON + 'destination = "out-960-only"\nimg_size = (960, 960)\nmake_thumbs = False\n'


def hugo_site(folder, easel_site, project, n):
    """A Hugo site with the same N pages as Easel's site (from its gallery.json and the cache's entry.json),
    templates equivalent to Easel's prompt page, index and album pages, and no image processing."""
    gallery = json.load(open(os.path.join(easel_site, "gallery.json")))
    shutil.rmtree(folder, ignore_errors=True)
    for sub in ("content/prompts", "layouts/_partials", "static/assets"):
        os.makedirs(os.path.join(folder, sub))
    for asset in ("style.css", "easel.js", "favicon.svg"):
        shutil.copy(os.path.join(easel_site, "assets", asset), os.path.join(folder, "static", "assets", asset))
    open(os.path.join(folder, "hugo.toml"), "w").write(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(folder, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(text.lstrip())
    albums = set()
    for p in gallery["prompts"]:
        source = open(os.path.join(project, p["file"]), encoding="utf-8").read()
        body = source.split("---\n", 2)[2]
        body = re.sub(r"\A# .*\n+", "", body)
        key = p["key"]
        entry = json.load(open(os.path.join(project, "cache", key[:2], key, "entry.json")))
        image = p["images"][0]
        usage = entry.get("usage") or {}
        front = {
            "title": p["title"], "tags": p.get("tags", []), "album": p.get("album") or "",
            "model": p["model"], "size": f"{image['width']}x{image['height']}",
            "quality": entry.get("quality") or "medium", "format": entry.get("format") or "png",
            "latency_ms": entry.get("latency_ms"), "created": entry.get("created"),
            "request_id": entry.get("request_id") or entry.get("x_request_id") or "",
            "input_tokens": usage.get("input_tokens"), "output_tokens": usage.get("output_tokens"),
            "cost_usd": entry.get("cost_usd"), "key": key[:12], "file": p["file"],
            "image": image["url"], "width": image["width"], "height": image["height"],
            "thumbs": image["thumbnails"], "draft": False,
        }
        rel = os.path.splitext(p["file"])[0] + ".md"  # prompts/<album>/<slug>.md, as Easel's page path
        path = os.path.join(folder, "content", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w", encoding="utf-8").write(json.dumps(front, indent=1) + "\n\n" + body)
        album = p.get("album") or ""
        while album:
            albums.add(album)
            album = os.path.dirname(album)
    for album in albums | {""}:
        index = os.path.join(folder, "content", "prompts", album, "_index.md")
        title = album.rsplit("/", 1)[-1] or "Gallery"
        open(index, "w").write(json.dumps({"title": title}) + "\n")
    open(os.path.join(folder, "content", "_index.md"), "w").write(json.dumps({"title": "Benchmark gallery"}) + "\n")


HUGO_CONFIG = """
baseURL = "/"
title = "Benchmark gallery"
relativeURLs = true
uglyURLs = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
enableRobotsTXT = false
[taxonomies]
  tag = "tags"
[outputs]
  home = ["html", "json"]
  section = ["html"]
  page = ["html"]
[markup.goldmark.renderer]
  unsafe = false
"""

# Equivalent, element for element where it matters, to templates/base.mustache, index.mustache,
# card.mustache, prompt.mustache, figure.mustache, details.mustache, filters.mustache and nav.mustache.
HUGO_LAYOUTS = {
    "baseof.html": """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{ block "title" . }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 200 }}">
<meta name="generator" content="Hugo {{ hugo.Version }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ .Summary | plainify | truncate 200 }}">
{{ with .Params.image }}<meta property="og:image" content="{{ . | relURL }}">
<meta property="og:image:width" content="{{ $.Params.width }}">
<meta property="og:image:height" content="{{ $.Params.height }}">{{ end }}
<meta name="twitter:card" content="{{ if .Params.image }}summary_large_image{{ else }}summary{{ end }}">
<link rel="icon" href="{{ "assets/favicon.svg" | relURL }}" type="image/svg+xml">
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
<script src="{{ "assets/easel.js" | relURL }}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-bar">
<div class="site-bar-inner">
<a class="site-name" href="{{ "index.html" | relURL }}">{{ site.Title }}</a>
{{ partialCached "nav.html" . }}
</div>
</header>
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p><a href="{{ "index.html" | relURL }}">{{ site.Title }}</a> · <a href="{{ "stats.html" | relURL }}">Statistics</a> · <span class="generator">Built with Hugo</span></p>
</footer>
</body>
</html>
""",
    "_partials/nav.html": """
<nav class="site-nav" aria-label="Site" data-easel-nav>
<ul class="site-nav-list">
<li><a class="site-nav-link" href="{{ "index.html" | relURL }}">All</a></li>
{{ with site.GetPage "/prompts" }}{{ range .Sections }}
<li><a class="site-nav-link" href="{{ .RelPermalink }}">{{ .Title }}<span class="site-nav-count"><span class="visually-hidden">, prompts: </span>{{ len .RegularPagesRecursive }}</span></a></li>
{{ end }}{{ end }}
<li><a class="site-nav-link" href="{{ "stats.html" | relURL }}">Stats</a></li>
</ul>
</nav>
""",
    "_partials/card.html": """
<li class="card card-cached card-kind-generation" data-status="cached" data-kind="generation" data-album="{{ .Params.album }}" data-tags="{{ delimit .Params.tags "|" }}" data-model="{{ .Params.model }}" data-date="{{ .Params.created }}" data-search="{{ .Title | lower }} {{ .Plain | lower }}">
<h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<div class="card-media">
{{ $t := .Params.thumbs }}<img src="{{ index $t 0 | relURL }}" srcset="{{ index $t 0 | relURL }} 320w, {{ index $t 1 | relURL }} 640w, {{ index $t 2 | relURL }} 960w" sizes="(min-width: 40em) 20rem, 100vw" width="320" height="{{ div (mul 320 .Params.height) .Params.width }}" alt="{{ .Plain | truncate 120 }}" loading="lazy" decoding="async">
<span class="card-flags">
<span class="badge badge-kind badge-kind-generation">generation</span>
</span>
</div>
<div class="card-body">
<p class="card-meta">
<span class="meta-item mono" title="Size">{{ .Params.size }}</span>
<span class="meta-item mono" title="Latency">{{ lang.FormatNumber 1 (div .Params.latency_ms 1000.0) }} s</span>
<span class="meta-item mono" title="Model">{{ .Params.model }}</span>
</p>
<p class="card-date"><time datetime="{{ .Params.created }}">{{ .Params.created }}</time></p>
{{ with .Params.album }}<p class="card-album"><span class="visually-hidden">Album: </span><span class="album">{{ . }}</span></p>{{ end }}
{{ with .Params.tags }}<ul class="tags">
{{ range . }}<li class="tag">{{ . }}</li>
{{ end }}</ul>{{ end }}
</div>
</li>
""",
    "_partials/filters.html": """
<form class="toolbar" role="search" aria-label="Filter prompts" hidden data-easel-filters>
<div class="toolbar-row">
<div class="field field-search">
<label for="easel-search">Search</label>
<input id="easel-search" type="search" name="q" placeholder="Search prompts, tags, models…" autocomplete="off" spellcheck="false" data-easel-search>
</div>
<div class="field field-sort">
<label for="easel-sort">Sort</label>
<select id="easel-sort" name="sort" data-easel-sort>
<option value="">Gallery order</option>
<option value="new">Newest first</option>
<option value="old">Oldest first</option>
</select>
</div>
<p class="result-count" aria-live="polite" data-easel-count></p>
<button type="reset" class="clear-filters" data-easel-clear>Clear</button>
</div>
<details class="facets" data-easel-facets>
<summary>Filter by album, tag or model</summary>
<div class="facet" role="group" aria-labelledby="facet-albums">
<span class="facet-label" id="facet-albums">Albums</span>
<ul class="chips">
{{ range (.Pages.GroupByParam "album") }}<li><button type="button" class="chip chip-album" data-facet="album" data-value="{{ .Key }}" aria-pressed="false">{{ .Key }} <span class="chip-count">{{ len .Pages }}</span></button></li>
{{ end }}</ul>
</div>
<div class="facet" role="group" aria-labelledby="facet-tags">
<span class="facet-label" id="facet-tags">Tags</span>
<ul class="chips">
{{ range site.Taxonomies.tags.ByCount }}<li><button type="button" class="chip chip-tag" data-facet="tag" data-value="{{ .Name }}" aria-pressed="false">{{ .Name }} <span class="chip-count">{{ .Count }}</span></button></li>
{{ end }}</ul>
</div>
<div class="facet" role="group" aria-labelledby="facet-models">
<span class="facet-label" id="facet-models">Models</span>
<ul class="chips">
{{ range (.Pages.GroupByParam "model") }}<li><button type="button" class="chip chip-model" data-facet="model" data-value="{{ .Key }}" aria-pressed="false">{{ .Key }} <span class="chip-count">{{ len .Pages }}</span></button></li>
{{ end }}</ul>
</div>
</details>
</form>
""",
    "home.html": """
{{ define "main" }}
{{ $pages := where site.RegularPages "Section" "prompts" }}
<header class="site-header"><div class="site-header-inner"><div class="site-intro">
<h1 class="site-title">{{ site.Title }}</h1>
</div>
<dl class="stats"><div class="stat"><dt>Prompts</dt><dd>{{ len $pages }}</dd></div></dl>
</div></header>
{{ partial "filters.html" (dict "Pages" $pages) }}
<ul class="gallery" data-easel-gallery>
{{ range $pages.ByTitle }}{{ partial "card.html" . }}{{ end }}
</ul>
<p class="no-match" hidden data-easel-no-match>No prompt matches these filters.</p>
{{ end }}
""",
    "home.json": """
{"generator": "Hugo", "prompts": [{{ range $i, $p := (where site.RegularPages "Section" "prompts").ByTitle }}{{ if $i }},{{ end }}
{"title": {{ $p.Title | jsonify }}, "file": {{ $p.Params.file | jsonify }}, "page": {{ $p.RelPermalink | jsonify }}, "album": {{ $p.Params.album | jsonify }}, "tags": {{ $p.Params.tags | jsonify }}, "model": {{ $p.Params.model | jsonify }}, "images": [{"url": {{ $p.Params.image | jsonify }}, "width": {{ $p.Params.width }}, "height": {{ $p.Params.height }}, "thumbnails": {{ $p.Params.thumbs | jsonify }}}]}{{ end }}
]}
""",
    "section.html": """
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
{{ $pages := .RegularPagesRecursive }}
<header class="site-header"><div class="site-header-inner"><div class="site-intro">
<nav class="breadcrumb" aria-label="Breadcrumb"><ol>
<li><a href="{{ "index.html" | relURL }}">Gallery</a></li>
{{ range .Ancestors.Reverse }}{{ if ne .Kind "home" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
<li><span aria-current="page">{{ .Title }}</span></li>
</ol></nav>
<h1 class="site-title">{{ .Title }}</h1>
</div>
<dl class="stats"><div class="stat"><dt>Prompts</dt><dd>{{ len $pages }}</dd></div></dl>
</div></header>
{{ with .Sections }}<nav class="sub-albums"><ul class="album-list">{{ range . }}<li><a class="album-link" href="{{ .RelPermalink }}"><span class="album">{{ .Title }}</span><span class="album-count">{{ len .RegularPagesRecursive }}</span></a></li>{{ end }}</ul></nav>{{ end }}
{{ partial "filters.html" (dict "Pages" $pages) }}
<ul class="gallery" data-easel-gallery>
{{ range $pages.ByTitle }}{{ partial "card.html" . }}{{ end }}
</ul>
{{ end }}
""",
    "page.html": """
{{ define "title" }}{{ .Title }} · {{ site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumb" aria-label="Breadcrumb">
<ol>
<li><a href="{{ "index.html" | relURL }}">Gallery</a></li>
{{ range .Ancestors.Reverse }}{{ if and (ne .Kind "home") (ne .Title "Gallery") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
<li><span aria-current="page">{{ .Title }}</span></li>
</ol>
</nav>
<article class="prompt-page prompt-cached">
<header class="page-head">
<h1 class="page-title">{{ .Title }}</h1>
<p class="page-badges">
<span class="badge badge-status badge-cached">cached</span>
<span class="badge badge-kind">generation</span>
</p>
</header>
<section class="media" aria-label="Images">
<div class="shots" data-count="1">
{{ $t := .Params.thumbs }}<figure class="shot">
<a class="shot-link" href="{{ .Params.image | relURL }}" data-easel-zoom><span class="visually-hidden">Open full size: </span><img src="{{ index $t 0 | relURL }}" srcset="{{ index $t 0 | relURL }} 320w, {{ index $t 1 | relURL }} 640w, {{ index $t 2 | relURL }} 960w" sizes="(min-width: 60em) 50vw, 100vw" width="320" height="{{ div (mul 320 .Params.height) .Params.width }}" alt="{{ .Plain | truncate 120 }}" loading="eager" decoding="async"></a>
<figcaption><span class="shot-label">Image</span> <span class="shot-size mono">{{ .Params.width }}×{{ .Params.height }}</span></figcaption>
</figure>
</div>
</section>
<div class="info">
<section class="prompt" aria-labelledby="prompt-title">
<h2 id="prompt-title">Prompt</h2>
<div class="prompt-text">
{{ .Content }}
</div>
</section>
<section class="details" aria-labelledby="details-title">
<h2 id="details-title">Details</h2>
<table class="details-table">
<tbody>
<tr><th scope="row">Model</th><td>{{ .Params.model }}</td></tr>
<tr><th scope="row">Size</th><td>{{ .Params.size }}</td></tr>
<tr><th scope="row">Quality</th><td>{{ .Params.quality }}</td></tr>
<tr><th scope="row">Format</th><td>{{ .Params.format }}</td></tr>
<tr><th scope="row">Latency</th><td>{{ lang.FormatNumber 1 (div .Params.latency_ms 1000.0) }} s</td></tr>
<tr><th scope="row">Created</th><td><time datetime="{{ .Params.created }}">{{ .Params.created }}</time></td></tr>
{{ with .Params.input_tokens }}<tr><th scope="row">Tokens</th><td>{{ lang.FormatNumber 0 . }} in · {{ lang.FormatNumber 0 $.Params.output_tokens }} out</td></tr>{{ end }}
<tr><th scope="row">Cost</th><td>{{ with .Params.cost_usd }}${{ lang.FormatNumber 3 . }}{{ else }}unknown{{ end }}</td></tr>
<tr><th scope="row">Request ID</th><td>{{ .Params.request_id }}</td></tr>
<tr><th scope="row">Cache key</th><td>{{ .Params.key }}</td></tr>
{{ with .Params.album }}<tr><th scope="row">Album</th><td><span class="album">{{ . }}</span></td></tr>{{ end }}
{{ with .Params.tags }}<tr><th scope="row">Tags</th><td><ul class="tags">{{ range . }}<li class="tag">{{ . }}</li>{{ end }}</ul></td></tr>{{ end }}
<tr><th scope="row">Source</th><td><code class="source-file">{{ .Params.file }}</code></td></tr>
</tbody>
</table>
</section>
</div>
</article>
{{ end }}
""",
}


# The benchmark ---------------------------------------------------------------------------------------


def ratio(a, b):
    return round(a / b, 3) if b else None


def main():
    global POOL_SIZE
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prompts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", default=os.path.join(HERE, ".work"), help="where projects and tools' output go")
    parser.add_argument("--results", default=os.path.join(HERE, "results"), help="where latest.md and .json go")
    parser.add_argument("--pool-size", type=int, default=POOL_SIZE, help="pictures in the image pool (smoke runs: fewer)")
    parser.add_argument("--thumb-prompts", type=int, default=THUMB_PROMPTS,
                        help="originals in the cold-thumbnail comparison (at most --prompts)")
    parser.add_argument("--easel", required=True, help="the easel binary (release)")
    parser.add_argument("--easel-info", default="")
    parser.add_argument("--hugo", default="", help="the hugo binary; empty skips Hugo")
    parser.add_argument("--sigal", default="", help="the sigal command; empty skips sigal")
    parser.add_argument("--max-wait", type=float, default=60,
                        help="seconds to wait, before each timed run, for other processes to go quiet")
    parser.add_argument("--strict", action="store_true", help="exit 3 when a target is missed")
    parser.add_argument("--only-large", action="store_true",
                        help="measure only the large gallery; writes large.md and large.json to the results folder")
    parser.add_argument("--large-prompts", type=int, default=None,
                        help="prompts in the large-gallery measurements (default 10000; --quick: 24; 0 skips them)")
    parser.add_argument("--hostile-memory", action="store_true",
                        help="measure the peak memory against a hostile server in a --quick run too")
    parser.add_argument("--only-hostile-memory", action="store_true",
                        help="measure only the peak memory against a hostile server, and print its row")
    parser.add_argument("--hostile-memory-cap", type=int, default=None, metavar="MIB",
                        help="kill easel when its resident set goes above this (default: half the memory, at "
                        "most 8192)")
    parser.add_argument("--command", default="", help="the run.sh arguments, for the record")
    args = parser.parse_args()
    started = time.monotonic()
    n, runs = args.prompts, args.runs
    POOL_SIZE = max(1, args.pool_size)
    work = args.work
    os.makedirs(work, exist_ok=True)
    tools = {"easel": args.easel, "easel_info": args.easel_info, "hugo": args.hugo, "sigal": args.sigal}
    runner = Runner(args)
    easel = args.easel
    if args.hostile_memory_cap is None:
        mem_mib = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) // 1024
        args.hostile_memory_cap = min(8192, mem_mib // 2)
    if args.only_hostile_memory:
        h = hostile_memory(runner, easel, work, args.hostile_memory_cap)
        rows = [hostile_memory_row(h)]
        lines = TABLE_HEADER + [row_line(r) for r in rows]
        out = args.results
        os.makedirs(out, exist_ok=True)
        open(os.path.join(out, "hostile-memory.md"), "w").write("\n".join(lines) + "\n")
        json.dump({"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "machine": machine(tools), "rows": rows, "hostile_memory": h},
                  open(os.path.join(out, "hostile-memory.json"), "w"), indent=1)
        print("\n".join(lines))
        log(f"wrote {os.path.relpath(out)}/hostile-memory.md and hostile-memory.json")
        if args.strict and rows[0]["pass"] is False:
            sys.exit(3)
        return

    if args.only_large:
        if args.large_prompts is None:
            args.large_prompts = 24 if args.quick else 10000
        results = {"large": large_gallery(runner, easel, args, work)}
        rows = []

        def row(name, easel_s, comparator, comparator_name, target, ok, rss, note=""):
            rows.append({"measurement": name, "easel_s": easel_s, "comparator": comparator_name,
                         "comparator_s": comparator, "ratio": ratio(easel_s, comparator) if easel_s and comparator else None,
                         "target": target, "pass": ok, "easel_rss_mib": rss, "note": note})
        large_rows(row, results["large"])
        lines = TABLE_HEADER + [row_line(r) for r in rows]
        out = args.results
        os.makedirs(out, exist_ok=True)
        open(os.path.join(out, "large.md"), "w").write("\n".join(lines) + "\n")
        json.dump({"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "machine": machine(tools), "rows": rows, "results": results},
                  open(os.path.join(out, "large.json"), "w"), indent=1)
        print("\n".join(lines))
        log(f"wrote {os.path.relpath(out)}/large.md and large.json")
        return

    # Setup: pool, projects, cache ------------------------------------------------------------------
    pool, pool_sizes = ensure_pool(work)
    project = os.path.join(work, f"gallery-{n}")
    write_project(project, n)
    log(f"project: {n} prompts in {project}")
    fill_cache(easel, project, pool, n)
    site = os.path.join(project, "site")
    offline = [easel, "build", project, "--offline", "--json"]
    env = clean_env()
    results = {}
    # The cold-thumbnail comparison runs on its own, smaller gallery: every tool decodes every original, so
    # the ratios do not depend on N, and five runs of five tools on 1,000 originals would take an hour here.
    tn = max(1, min(n, args.thumb_prompts))
    tproject = os.path.join(work, f"gallery-{tn}")
    if tn != n:
        write_project(tproject, tn)
        log(f"project: {tn} prompts in {tproject} (cold thumbnails)")
        fill_cache(easel, tproject, pool, tn)
    tsite = os.path.join(tproject, "site")
    toffline = [easel, "build", tproject, "--offline", "--json"]

    # a. Cold thumbnails ------------------------------------------------------------------------------
    sources = sorted(os.path.join(tsite, "images", f) for f in os.listdir(os.path.join(tsite, "images"))
                     if f.endswith(".png"))
    if len(sources) != tn:
        die(f"expected {tn} originals in {tsite}/images, found {len(sources)}")
    src_bytes = sum(os.path.getsize(s) for s in sources)
    sources_list = os.path.join(work, "sources.list")
    open(sources_list, "wb").write(b"".join(s.encode() + b"\0" for s in sources))
    vips_out = os.path.join(work, "vipsthumbnail-out")
    sigal_dir = os.path.join(work, "sigal")
    if args.sigal:
        shutil.rmtree(sigal_dir, ignore_errors=True)
        os.makedirs(os.path.join(sigal_dir, "src", "album"))
        for s in sources:
            os.symlink(s, os.path.join(sigal_dir, "src", "album", os.path.basename(s)))
        for name, conf in list(SIGAL_CONFS.items()) + [("960-only", SIGAL_CONF_960)]:
            open(os.path.join(sigal_dir, f"sigal-{name}.conf.py"), "w").write(conf)

    def sigal_run(name, label):
        shutil.rmtree(os.path.join(sigal_dir, "out-" + name), ignore_errors=True)
        return runner.timed(label, [args.sigal, "build", "--quiet", "--ncpu", str(NPROC),
                                    "--config", f"sigal-{name}.conf.py"], cwd=sigal_dir)

    easel_thumbs, easel_cold, vips_runs, sigal_runs, sigal_960_runs = [], [], [], [], []
    log(f"a. cold thumbnails: {tn} originals ({src_bytes / 1e6:.0f} MB) × {len(THUMB_WIDTHS)} widths, {runs} runs each")
    for r in range(runs):
        shutil.rmtree(os.path.join(tsite, "thumbs"), ignore_errors=True)
        m = runner.timed(f"easel, thumbs deleted, run {r + 1}", toffline, env=env, check_json=True)
        check_offline_report(m.pop("report"), tn, "cold thumbnails")
        made, made_bytes = dir_stats(os.path.join(tsite, "thumbs"), (".webp",))
        if made != tn * len(THUMB_WIDTHS):
            die(f"easel made {made} thumbnails, expected {tn * len(THUMB_WIDTHS)}")
        m["thumbs"], m["thumb_bytes"] = made, made_bytes
        easel_thumbs.append(m)

        shutil.rmtree(vips_out, ignore_errors=True)
        os.makedirs(vips_out)
        m = runner.timed(f"vipsthumbnail, run {r + 1}", vipsthumbnail_cmd(sources_list, vips_out))
        made, made_bytes = dir_stats(vips_out, (".webp",))
        if made != tn * len(THUMB_WIDTHS):
            die(f"vipsthumbnail made {made} thumbnails, expected {tn * len(THUMB_WIDTHS)}")
        m["thumbs"], m["thumb_bytes"] = made, made_bytes
        vips_runs.append(m)

        if args.sigal:
            passes = [sigal_run(name, f"sigal {name}, run {r + 1}") for name in SIGAL_CONFS]
            made, made_bytes = 0, 0
            for name in SIGAL_CONFS:
                count, size = dir_stats(os.path.join(sigal_dir, "out-" + name), (".webp",))
                made, made_bytes = made + count, made_bytes + size
            if made != tn * len(THUMB_WIDTHS):
                die(f"sigal made {made} WebP images, expected {tn * len(THUMB_WIDTHS)}")
            sigal_runs.append({"wall": round(sum(m["wall"] for m in passes), 4),
                               "rss_mib": max(m["rss_mib"] for m in passes),
                               "cpu": round(sum(m["cpu"] for m in passes), 3),
                               "thumbs": made, "thumb_bytes": made_bytes})
            m = sigal_run("960-only", f"sigal 960 only, run {r + 1}")
            m["thumbs"], m["thumb_bytes"] = dir_stats(os.path.join(sigal_dir, "out-960-only"), (".webp",))
            sigal_960_runs.append(m)

        shutil.rmtree(tsite, ignore_errors=True)
        m = runner.timed(f"easel, site/ deleted, run {r + 1}", toffline, env=env, check_json=True)
        check_offline_report(m.pop("report"), tn, "cold build")
        easel_cold.append(m)

    results["cold_thumbnails_easel"] = summary(easel_thumbs)
    results["cold_build_easel"] = summary(easel_cold)
    results["cold_thumbnails_vipsthumbnail"] = summary(vips_runs)
    if sigal_runs:
        results["cold_thumbnails_sigal"] = summary(sigal_runs)
        results["cold_thumbnails_sigal_960"] = summary(sigal_960_runs)
    results["thumb_prompts"] = tn

    # b. Re-render and no-op, against Hugo --------------------------------------------------------------
    hugo_dir = os.path.join(work, "hugo")
    if args.hugo:
        hugo_site(hugo_dir, site, project, n)
    rerender, noop, hugo_runs = [], [], []
    log(f"b. re-render of {n} cached prompts (title changed), no-op rebuild, Hugo: {runs} runs each")
    runner.timed("easel, warm-up no-op", offline, env=env)
    for r in range(runs):
        set_title(project, n, f"Benchmark gallery, take {r + 1}")
        m = runner.timed(f"easel, title changed, run {r + 1}", offline, env=env, check_json=True)
        check_offline_report(m.pop("report"), n, "re-render")
        rerender.append(m)
        m = runner.timed(f"easel, nothing changed, run {r + 1}", offline, env=env, check_json=True)
        check_offline_report(m.pop("report"), n, "no-op")
        noop.append(m)
        if args.hugo:
            m = runner.timed(f"hugo, run {r + 1}", [args.hugo, "--quiet", "--source", hugo_dir])
            m["pages"], m["html_bytes"] = dir_stats(os.path.join(hugo_dir, "public"), (".html",))
            hugo_runs.append(m)
    set_title(project, n, "Benchmark gallery")
    pages, html_bytes = dir_stats(site, (".html",))
    results["rerender_easel"] = summary(rerender)
    results["noop_easel"] = summary(noop)
    results["easel_html"] = {"pages": pages, "bytes": html_bytes}
    if hugo_runs:
        results["render_hugo"] = summary(hugo_runs)
        results["hugo_html"] = {"pages": hugo_runs[-1]["pages"], "bytes": hugo_runs[-1]["html_bytes"]}

    # c. Generation -------------------------------------------------------------------------------------
    gen_project = os.path.join(work, "generation")
    ideal = math.ceil(GEN_N / GEN_CONCURRENCY) * GEN_LATENCY
    log(f"c. generation: {GEN_N} prompts, latency {GEN_LATENCY} s, concurrency {GEN_CONCURRENCY}, "
        f"ideal {ideal:.2f} s, {runs} runs")
    api = FakeAPI("--latency", str(GEN_LATENCY), "--max-side", "256")
    gen_runs = []
    try:
        for r in range(runs):
            shutil.rmtree(gen_project, ignore_errors=True)
            os.makedirs(os.path.join(gen_project, "prompts"))
            for i in range(GEN_N):
                open(os.path.join(gen_project, "prompts", f"p{i + 1:02d}.md"), "w").write(
                    f"A lighthouse at dusk, study {i + 1}, run {r + 1}.\n")
            m = runner.timed(f"easel generate, run {r + 1}", [easel, "build", gen_project, "--yes", "--concurrency",
                                                              str(GEN_CONCURRENCY), "--json"],
                             env=api.env(), check_json=True)
            report = m.pop("report")
            if report["generated"] != GEN_N or report["failed"]:
                die(f"generation: {report['generated']} generated, {report['failed']} failed")
            m["build_wall"], m["wall"] = m["wall"], report["generation_seconds"]
            m["rate_limited"] = report["rate_limited"]
            gen_runs.append(m)
    finally:
        api.stop()
    results["generation_easel"] = summary(gen_runs)
    results["generation_ideal"] = ideal

    # d. Peak memory against a hostile server (not in a --quick run unless asked) -----------------------
    if not args.quick or args.hostile_memory:
        results["hostile_memory"] = hostile_memory(runner, easel, work, args.hostile_memory_cap)
    else:
        log("d. peak memory against a hostile server: skipped in a --quick run (--hostile-memory adds it)")

    # e. The large gallery --------------------------------------------------------------------------------
    if args.large_prompts is None:
        args.large_prompts = 24 if args.quick else 10000
    if args.large_prompts > 0:
        results["large"] = large_gallery(runner, easel, args, work)

    # Table ---------------------------------------------------------------------------------------------
    rows = build_rows(results, n, tools)
    elapsed = time.monotonic() - started
    info = machine(tools)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "prompts": n, "runs": runs, "quick": args.quick, "elapsed_seconds": round(elapsed, 1),
            "pool": {"images": POOL_SIZE, "min_mb": round(min(pool_sizes) / 1e6, 2),
                     "max_mb": round(max(pool_sizes) / 1e6, 2), "mean_mb": round(statistics.mean(pool_sizes) / 1e6, 2)},
            "originals_mb": round(src_bytes / 1e6, 1), "command": args.command}
    markdown = render_markdown(rows, results, info, meta, runner.noisy)
    out = args.results
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, "latest.md"), "w").write(markdown)
    json.dump({"meta": meta, "machine": info, "rows": rows, "results": results, "noisy_runs": runner.noisy},
              open(os.path.join(out, "latest.json"), "w"), indent=1)
    print(markdown)
    log(f"done in {elapsed:.0f} s; wrote {os.path.relpath(out)}/latest.md and latest.json")
    if args.strict and any(r["pass"] is False for r in rows):
        sys.exit(3)


def build_rows(results, n, tools):
    rows = []

    def row(name, easel, comparator, comparator_name, target, ok, rss, note=""):
        rows.append({"measurement": name, "easel_s": easel, "comparator": comparator_name,
                     "comparator_s": comparator, "ratio": ratio(easel, comparator) if easel and comparator else None,
                     "target": target, "pass": ok, "easel_rss_mib": rss, "note": note})

    e = results["cold_thumbnails_easel"]
    v = results["cold_thumbnails_vipsthumbnail"]
    tn = results["thumb_prompts"]
    r = ratio(e["median"], v["median"])
    row(f"cold thumbnails ({tn}×3 WebP), vs vipsthumbnail", e["median"], v["median"], "vipsthumbnail",
        "≤ 1.15×", r <= 1.15, e["rss_max_mib"])
    s = results.get("cold_thumbnails_sigal")
    if s:
        r = ratio(e["median"], s["median"])
        row(f"cold thumbnails ({tn}×3 WebP), vs sigal", e["median"], s["median"], "sigal (the same 3 widths, 2 runs)",
            "≤ 0.33× (3× faster)", r <= 1 / 3, e["rss_max_mib"])
        s960 = results["cold_thumbnails_sigal_960"]
        row(f"cold thumbnails ({tn}×3 WebP), vs sigal making a third of the files", e["median"], s960["median"],
            "sigal (960 px only)", "info", None, e["rss_max_mib"])
    else:
        row(f"cold thumbnails ({tn}×3 WebP), vs sigal", e["median"], None, "sigal: not installed",
            "≤ 0.33× (3× faster)", None, e["rss_max_mib"])
    c = results["cold_build_easel"]
    row(f"fully cold build ({results['thumb_prompts']} prompts, site/ deleted)", c["median"], None, "—", "info", None, c["rss_max_mib"])
    rr = results["rerender_easel"]
    no = results["noop_easel"]
    h = results.get("render_hugo")
    if h:
        row(f"re-render {n} cached prompts (title changed), vs Hugo", rr["median"], h["median"],
            f"hugo ({n} pages)", "≤ 0.5×", ratio(rr["median"], h["median"]) <= 0.5, rr["rss_max_mib"])
        row("no-op rebuild (nothing changed), vs Hugo", no["median"], h["median"], f"hugo ({n} pages)",
            "≤ 0.1×", ratio(no["median"], h["median"]) <= 0.1, no["rss_max_mib"])
    else:
        row(f"re-render {n} cached prompts (title changed), vs Hugo", rr["median"], None, "hugo: not installed",
            "≤ 0.5×", None, rr["rss_max_mib"])
        row("no-op rebuild (nothing changed), vs Hugo", no["median"], None, "hugo: not installed",
            "≤ 0.1×", None, no["rss_max_mib"])
    row("no-op rebuild, vs Easel's own re-render", no["median"], rr["median"], "easel re-render",
        "info (< 0.5×)", None, no["rss_max_mib"])
    g = results["generation_easel"]
    ideal = results["generation_ideal"]
    row(f"generation, {GEN_N} prompts, L={GEN_LATENCY} s, C={GEN_CONCURRENCY} (generation_seconds)",
        g["median"], ideal, "ideal ceil(N/C)×L", "≤ 1.1×", ratio(g["median"], ideal) <= 1.1, g["rss_max_mib"])
    peak = max(rr["rss_max_mib"], no["rss_max_mib"])
    row(f"peak memory, {n}-prompt rebuild (re-render and no-op)", None, None, "—",
        f"< {RSS_TARGET_MIB} MiB" + ("" if n == 1000 else " (at 1,000 prompts)"),
        peak < RSS_TARGET_MIB if n == 1000 else None, peak,
        "" if n == 1000 else f"N={n}: indicative only")
    if "hostile_memory" in results:
        rows.append(hostile_memory_row(results["hostile_memory"]))
    if "large" in results:
        large_rows(row, results["large"])
    return rows


def fmt_s(value):
    if value is None:
        return "—"
    return f"{value:.3f} s" if value < 10 else f"{value:.2f} s"


TABLE_HEADER = ["| measurement | Easel median (min) | comparator median (min) | ratio | target | pass/fail | Easel peak RSS |",
                "| --- | --- | --- | --- | --- | --- | --- |"]


def row_line(r, easel_min=None, comparator_min=None):
    """One row of the table; a time without its minimum (one run) is shown alone."""
    easel = "—" if r["easel_s"] is None else fmt_s(r["easel_s"]) + (f" ({fmt_s(easel_min)})" if easel_min is not None else "")
    if r["comparator_s"] is None:
        comp = r["comparator"]
    elif r["comparator"].startswith("ideal"):
        comp = f"{fmt_s(r['comparator_s'])} (ideal)"
    else:
        comp = f"{r['comparator']}: {fmt_s(r['comparator_s'])} ({fmt_s(comparator_min)})"
    verdict = {True: "**pass**", False: "**FAIL**", None: "—"}[r["pass"]]
    ratio_text = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—"
    note = f" ({r['note']})" if r["note"] else ""
    return (f"| {r['measurement']}{note} | {easel} | {comp} | {ratio_text} | {r['target']} | {verdict} | "
            f"{r['easel_rss_mib']:.1f} MiB |")


def render_markdown(rows, results, info, meta, noisy):
    lines = [f"# Easel benchmark — {meta['date']}", "",
             f"{meta['prompts']} prompts, {meta['runs']} run(s) per measurement"
             + (" (--quick)" if meta["quick"] else "") + f"; whole run {meta['elapsed_seconds']:.0f} s. "
             "Times are wall-clock medians (min in brackets); RSS is the largest peak resident set of the Easel runs "
             "(`/usr/bin/time -v`). Ratio = Easel ÷ comparator.", "",
             *TABLE_HEADER]
    mins = {
        "vipsthumbnail": results["cold_thumbnails_vipsthumbnail"]["min"],
        "sigal (the same 3 widths, 2 runs)": results.get("cold_thumbnails_sigal", {}).get("min"),
        "sigal (960 px only)": results.get("cold_thumbnails_sigal_960", {}).get("min"),
        "easel re-render": results["rerender_easel"]["min"],
    }
    if "render_hugo" in results:
        mins[f"hugo ({meta['prompts']} pages)"] = results["render_hugo"]["min"]
    easel_mins = {"cold thumbnails": results["cold_thumbnails_easel"]["min"],
                  "fully cold": results["cold_build_easel"]["min"], "re-render": results["rerender_easel"]["min"],
                  "no-op": results["noop_easel"]["min"], "generation": results["generation_easel"]["min"]}
    for r in rows:
        emin = next((v for k, v in easel_mins.items() if r["measurement"].startswith(k)), None)
        lines.append(row_line(r, emin, mins.get(r["comparator"])))
    e, v = results["cold_thumbnails_easel"], results["cold_thumbnails_vipsthumbnail"]
    lines += ["", "Details:", "",
              f"- Thumbnail bytes: Easel {e['runs'][-1]['thumb_bytes'] / 1e6:.1f} MB, vipsthumbnail "
              f"{v['runs'][-1]['thumb_bytes'] / 1e6:.1f} MB"
              + (f", sigal {results['cold_thumbnails_sigal']['runs'][-1]['thumb_bytes'] / 1e6:.1f} MB (Pillow's default "
                 f"quality 80), sigal 960 px only {results['cold_thumbnails_sigal_960']['runs'][-1]['thumb_bytes'] / 1e6:.1f} MB"
                 if "cold_thumbnails_sigal" in results else "")
              + f"; {results['thumb_prompts']} originals, {meta['originals_mb']} MB (pool of {meta['pool']['images']} PNGs, "
              f"{meta['pool']['min_mb']}–{meta['pool']['max_mb']} MB each).",
              f"- CPU seconds (median): Easel thumbnails {statistics.median(x['cpu'] for x in e['runs']):.2f}, "
              f"vipsthumbnail {statistics.median(x['cpu'] for x in v['runs']):.2f}"
              + (f", sigal {statistics.median(x['cpu'] for x in results['cold_thumbnails_sigal']['runs']):.2f}"
                 if "cold_thumbnails_sigal" in results else "") + ".",
              f"- HTML written: Easel {results['easel_html']['pages']} pages, "
              f"{results['easel_html']['bytes'] / 1e6:.1f} MB"
              + (f"; Hugo {results['hugo_html']['pages']} pages, {results['hugo_html']['bytes'] / 1e6:.1f} MB"
                 if "hugo_html" in results else "") + ".",
              f"- Generation: whole `easel build` median "
              f"{statistics.median(x['build_wall'] for x in results['generation_easel']['runs']):.3f} s; "
              f"generation phase {results['generation_easel']['median']:.3f} s against the ideal "
              f"{results['generation_ideal']:.2f} s.",
              f"- Peak RSS of the comparators (largest single process): vipsthumbnail {v['rss_max_mib']:.1f} MiB"
              + (f", sigal {results['cold_thumbnails_sigal']['rss_max_mib']:.1f} MiB"
                 if "cold_thumbnails_sigal" in results else "")
              + (f", Hugo {results['render_hugo']['rss_max_mib']:.1f} MiB" if "render_hugo" in results else "") + "."]
    if noisy:
        lines += ["", f"Other processes used the CPU during {len(noisy)} timed run(s) (over 0.25 cores):", ""]
        lines += [f"- {x}" for x in noisy[:20]]
    lines += ["", "Machine:", ""]
    for key in ("cpu_model", "cpu_count", "memory_gib", "disk", "os", "swift", "libvips", "hugo", "sigal", "python",
                "easel_commit", "easel_binary"):
        lines.append(f"- {key.replace('_', ' ')}: {info[key]}")
    lines += ["", f"Command: `bench/run.sh {meta['command']}`", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
