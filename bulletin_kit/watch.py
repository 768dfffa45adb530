"""``bulletin watch``: rebuild the PDF of one issue on every save and show it in the browser.

Input: an issue file, an output folder, a port. Output: ``<out>/<stem>.pdf`` rebuilt whenever the
issue file, ``series.yaml`` or a file the issue names changes (watchfiles), and a small web server
on 127.0.0.1 only (stdlib ``http.server`` in a thread) with three addresses:

- ``/``: a page showing the pages of the PDF and the problems of the last check; it polls
  ``/status.json`` and reloads the pages when a new build is ready (keeping the scroll position);
- ``/status.json``: ``{"version", "ok", "problems", "built", "seconds", "message", "has_pdf",
  "pages", "pdf_version"}``;
- ``/issue.pdf``: the last PDF that built without errors (a snapshot, so a failed build keeps
  showing the last good one);
- ``/page/N.png``: page N of that PDF as a picture, drawn on demand by ``pdftoppm`` (poppler,
  installed by ``scripts/setup.sh``), so the page works in any browser without a PDF viewer.

One warm process: WeasyPrint, the fonts and the templates load once, so a rebuild costs only the
layout. Problems go to the terminal and to the page. Ctrl-C (or ``stop``) stops cleanly.
"""

from __future__ import annotations

import datetime as dt
import html
import http.server
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import pipeline
from .messages import Code
from .problems import Problem, errors
from .readers.issue_yaml import SERIES_FILE

POLL_MS = 300
"""How often the page asks whether a new PDF is ready."""
PAGE_DPI = 80
"""Resolution of the page pictures."""


def say(code: Code, **args: object) -> str:
    """Return the Chinese text of message ``code``."""
    return code.text.format(**args)


@dataclass
class State:
    """What the web server shows; replaced as a whole under ``lock`` after each build."""

    version: int = 0
    ok: bool = False
    problems: list[str] = field(default_factory=list)
    built: str = ""
    seconds: float = 0.0
    message: str = ""
    pdf: Path | None = None
    """Snapshot of the last good PDF (a private copy: the output may be rebuilt meanwhile)."""
    pages: int = 0
    pdf_version: int = 0
    """The version whose build made ``pdf``."""
    pictures: dict[int, bytes] = field(default_factory=dict)
    """Page pictures of ``pdf`` drawn so far, by page number."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            data = {
                "version": self.version,
                "ok": self.ok,
                "problems": self.problems,
                "built": self.built,
                "seconds": round(self.seconds, 3),
                "message": self.message,
                "has_pdf": self.pdf is not None,
                "pages": self.pages,
                "pdf_version": self.pdf_version,
            }
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


class Preview:
    """Rebuilds one issue's PDF and keeps the state the page shows."""

    def __init__(self, path: Path, out_dir: Path, echo: Callable[[str], None] = print) -> None:
        self.path = Path(path)
        self.out_dir = Path(out_dir)
        self.dest = self.out_dir / f"{self.path.stem}.pdf"
        self.echo = echo
        self.state = State()
        # until a build reads the issue: its file and series.yaml (the images come with the first read)
        self.inputs: set[Path] = {self.path.resolve(), self.path.resolve().parent / SERIES_FILE}
        self.snapshots = Path(tempfile.mkdtemp(prefix="bulletin-watch-"))

    def close(self) -> None:
        """Remove the PDF snapshots."""
        shutil.rmtree(self.snapshots, ignore_errors=True)

    def rebuild(self) -> bool:
        """Build once and serve the result, then add the problems of ``check``; True if the PDF is new.

        The content checks (lint) run after the new PDF is served, so they never delay the page;
        their problems join the list a moment later (the page compares the list on every poll).
        """
        t0 = time.perf_counter()
        result = pipeline.build(self.path, self.out_dir, ("pdf",), overlap="none")
        seconds = time.perf_counter() - t0
        if result.inputs:
            self.inputs = set(result.inputs)
        shown = _rendered(result.problems)
        ok = bool(result.written) and not errors(result.problems)
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        snapshot, pages = None, 0
        if ok:
            with self.state.lock:
                version = self.state.version + 1
            snapshot = self.snapshots / f"{version}.pdf"
            shutil.copyfile(self.dest, snapshot)
            pages = count_pages(snapshot)
            message = say(Code.WATCH_BUILT, time=stamp, file=self.dest, seconds=seconds)
        else:
            message = say(Code.WATCH_FAILED, time=stamp, count=len(_rendered(errors(result.problems))))
        for line in shown:
            self.echo(line)
        self.echo(message)
        with self.state.lock:
            self.state.problems = shown
            self.state.message = message
            self.state.built = stamp
            self.state.seconds = seconds
            self.state.ok = ok
            old = None
            if snapshot is not None:
                old, self.state.pdf, self.state.pages = self.state.pdf, snapshot, pages
                self.state.pictures = {}
                self.state.pdf_version = version
            self.state.version += 1
        if old is not None:
            old.unlink(missing_ok=True)
        _, found = pipeline.check_issue(self.path)
        from .lint_pairs import group

        every = _rendered(group(found + result.problems))  # one line per rule and article, as check shows
        for line in every:
            if line not in shown:
                self.echo(line)
        with self.state.lock:
            self.state.problems = every
        pipeline.collect_garbage()  # the build's garbage, freed while the editor reads the new page
        return ok

    def picture(self, number: int) -> bytes | None:
        """Return page ``number`` of the current PDF as PNG (drawn once per build), or None."""
        with self.state.lock:
            pdf, pages = self.state.pdf, self.state.pages
            done = self.state.pictures.get(number)
        if done is not None:
            return done
        if pdf is None or not 1 <= number <= pages:
            return None
        tool = shutil.which("pdftoppm")
        if tool is None:
            return None
        args = [tool, "-png", "-r", str(PAGE_DPI), "-f", str(number), "-l", str(number), str(pdf)]
        try:
            done = subprocess.run(args, capture_output=True, timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError):
            return None  # a newer build removed this snapshot: the page asks again
        with self.state.lock:
            if self.state.pdf == pdf:
                self.state.pictures[number] = done
        return done

    def relevant(self, changed: str) -> bool:
        """Return True when a changed path is one of the issue's inputs."""
        return Path(changed).resolve() in self.inputs


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview  # set on the subclass made by serve()

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        state = self.preview.state
        if route == "/":
            self._send(200, "text/html; charset=utf-8", page(self.preview.path.name).encode("utf-8"))
        elif route == "/status.json":
            self._send(200, "application/json; charset=utf-8", state.as_json())
        elif route == "/issue.pdf":
            with state.lock:
                pdf = state.pdf
            try:
                body = pdf.read_bytes() if pdf is not None else None
            except OSError:
                body = None
            if body is None:
                self._send(404, "text/plain; charset=utf-8", say(Code.WATCH_NO_PDF).encode("utf-8"))
            else:
                self._send(200, "application/pdf", body)
        elif match := re.fullmatch(r"/page/([0-9]{1,4})\.png", route):
            picture = self.preview.picture(int(match.group(1)))
            if picture is None:
                self._send(404, "text/plain; charset=utf-8", b"no such page")
            else:
                self._send(200, "image/png", picture)
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for build messages."""


class PortBusy(OSError):
    """The port cannot be listened on (in use, or not allowed)."""

    def __init__(self, port: int) -> None:
        super().__init__(say(Code.WATCH_PORT_BUSY, port=port))
        self.port = port


def serve(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    """Start the web server on 127.0.0.1:``port`` (0: any free port) in a daemon thread."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="bulletin-watch-http", daemon=True).start()
    return server


def run(
    path: Path,
    out_dir: Path,
    port: int,
    *,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve, and rebuild on every change until Ctrl-C or ``stop`` is set."""
    import watchfiles

    from .writers import weasyprint_loader

    weasyprint_loader.load()  # WeasyPrint loads before the first save, not after

    preview = Preview(path, out_dir, echo)
    try:
        server = serve(preview, port)
    except OSError as exc:
        preview.close()
        raise PortBusy(port) from exc
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        echo(say(Code.WATCH_SERVING, url=url, file=path))
        preview.rebuild()
        if ready is not None:
            ready(url)
        folder = Path(path).resolve().parent
        for changes in watchfiles.watch(
            folder, debounce=50, step=20, stop_event=stop, rust_timeout=500, yield_on_timeout=False
        ):
            if any(preview.relevant(name) for _, name in changes):
                preview.rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        preview.close()
        echo(say(Code.WATCH_STOPPED))


def _rendered(problems: list[Problem]) -> list[str]:
    """Return each problem's text once, in file and position order (a read's problems come twice)."""
    unique = {p.render(): p for p in problems}
    return [p.render() for p in sorted(unique.values(), key=Problem.sort_key)]


def count_pages(pdf: Path) -> int:
    """Return the number of pages of ``pdf`` (``pdfinfo``, from poppler like ``pdftoppm``), 0 if unknown."""
    tool = shutil.which("pdfinfo")
    if tool is None:
        return 0
    try:
        done = subprocess.run([tool, str(pdf)], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return 0
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    return int(match.group(1)) if match else 0


def page(name: str) -> str:
    """Return the preview page: the PDF, the problems, and a poll that reloads on a new version."""
    labels = {
        "waiting": html.escape(say(Code.WATCH_PAGE_WAITING)),
        "problems": html.escape(say(Code.WATCH_PAGE_PROBLEMS)),
    }
    title = html.escape(name)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ margin: 0; font-family: sans-serif; background: #888; }}
 header {{ position: sticky; top: 0; padding: 6px 12px; background: #f3f3f3;
          border-bottom: 1px solid #ccc; z-index: 1; }}
 header.failed {{ background: #fde8e8; }}
 #message {{ font-weight: bold; }}
 header a {{ margin-left: 1em; }}
 ul {{ margin: 4px 0 0; padding-left: 20px; color: #a00; max-height: 30vh; overflow: auto; }}
 #pages img {{ display: block; margin: 12px auto; background: #fff; box-shadow: 0 1px 4px #444;
              width: 210mm; max-width: 96vw; aspect-ratio: 210 / 297; }}
</style></head>
<body>
<header id="bar"><span id="message">{labels["waiting"]}</span><a href="/issue.pdf" target="_blank">PDF</a>
<div id="problems-title" hidden>{labels["problems"]}</div><ul id="problems"></ul></header>
<main id="pages"></main>
<script>
let version = -1, shown = -1, listed = "";
function showPages(count, v) {{
  const box = document.getElementById("pages");
  const imgs = [];
  for (let n = 1; n <= count; n++) {{
    const img = document.createElement("img");
    img.src = "/page/" + n + ".png?v=" + v; img.alt = n; img.loading = n <= 2 ? "eager" : "lazy";
    imgs.push(img);
  }}
  const y = window.scrollY;
  box.replaceChildren(...imgs);
  window.scrollTo(0, y);
}}
async function poll() {{
  try {{
    const r = await fetch("/status.json", {{cache: "no-store"}});
    const s = await r.json();
    if (s.version !== version) {{
      version = s.version;
      document.getElementById("message").textContent = s.message;
      document.getElementById("bar").className = s.ok ? "" : "failed";
      if (s.has_pdf && s.pdf_version !== shown) {{ shown = s.pdf_version; showPages(s.pages, shown); }}
      document.title = (s.ok ? "" : "✗ ") + {json.dumps(name)};
    }}
    if (JSON.stringify(s.problems) !== listed) {{  // the checks' problems arrive after the build
      listed = JSON.stringify(s.problems);
      const list = document.getElementById("problems");
      list.replaceChildren(...s.problems.map(t => {{ const li = document.createElement("li");
        li.textContent = t; return li; }}));
      document.getElementById("problems-title").hidden = s.problems.length === 0;
    }}
  }} catch (e) {{}}
  setTimeout(poll, {POLL_MS});
}}
poll();
</script>
</body></html>
"""


__all__ = ["PortBusy", "Preview", "State", "page", "run", "serve"]
