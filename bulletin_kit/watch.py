"""``bulletin watch``: rebuild the PDF of one issue on every save and show it in the browser.

Input: an issue file, an output folder, a port. Output: ``<out>/<stem>.pdf`` rebuilt whenever the
issue file, ``series.yaml`` or a file the issue names changes (watchfiles), and a small web server
on 127.0.0.1 only (stdlib ``http.server`` in a thread) with three addresses:

- ``/``: a page showing the PDF and the problems of the last check; it polls ``/status.json``
  and reloads the PDF when a new build is ready;
- ``/status.json``: ``{"version", "ok", "problems", "built", "seconds", "message"}``;
- ``/issue.pdf``: the last PDF that built without errors (kept in memory, so a failed build
  keeps showing the last good one).

One warm process: WeasyPrint, the fonts and the templates load once, so a rebuild costs only the
layout. Problems go to the terminal and to the page. Ctrl-C (or ``stop``) stops cleanly.
"""

from __future__ import annotations

import datetime as dt
import html
import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import pipeline
from .messages import MESSAGES
from .problems import Problem, errors

POLL_MS = 300
"""How often the page asks whether a new PDF is ready."""


def say(code: str, **args: object) -> str:
    """Return the Chinese text of message ``code``."""
    return MESSAGES[code][0].format(**args)


@dataclass
class State:
    """What the web server shows; replaced as a whole under ``lock`` after each build."""

    version: int = 0
    ok: bool = False
    problems: list[str] = field(default_factory=list)
    built: str = ""
    seconds: float = 0.0
    message: str = ""
    pdf: bytes | None = None
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
        self.inputs: set[Path] = {self.path.resolve()}

    def rebuild(self) -> bool:
        """Check and build once; return True when a new PDF is served."""
        t0 = time.perf_counter()
        _, found = pipeline.check_issue(self.path)
        result = pipeline.build(self.path, self.out_dir, ("pdf",), force=True, overlap="none")
        seconds = time.perf_counter() - t0
        if result.inputs:
            self.inputs = set(result.inputs)
        problems = sorted(found + result.problems, key=Problem.sort_key)
        ok = bool(result.written) and not errors(result.problems)
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        pdf = self.dest.read_bytes() if ok else None
        if ok:
            message = say("watch.built", time=stamp, file=self.dest, seconds=seconds)
        else:
            message = say("watch.failed", time=stamp, count=len(errors(problems)))
        rendered = list(dict.fromkeys(p.render() for p in problems))  # read's problems come twice
        for line in rendered:
            self.echo(line)
        self.echo(message)
        with self.state.lock:
            self.state.problems = rendered
            self.state.message = message
            self.state.built = stamp
            self.state.seconds = seconds
            self.state.ok = ok
            if ok:
                self.state.pdf = pdf
            self.state.version += 1
        return ok

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
            if pdf is None:
                self._send(404, "text/plain; charset=utf-8", say("watch.no_pdf").encode("utf-8"))
            else:
                self._send(200, "application/pdf", pdf)
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

    from .writers import pdf  # noqa: F401 - load WeasyPrint before the first save, not after

    preview = Preview(path, out_dir, echo)
    server = serve(preview, port)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        echo(say("watch.serving", url=url, file=path))
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
        echo(say("watch.stopped"))


def page(name: str) -> str:
    """Return the preview page: the PDF, the problems, and a poll that reloads on a new version."""
    labels = {key: html.escape(say(f"watch.page_{key}")) for key in ("waiting", "problems")}
    title = html.escape(name)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ margin: 0; font-family: sans-serif; display: flex; flex-direction: column; height: 100vh; }}
 header {{ padding: 6px 12px; background: #f3f3f3; border-bottom: 1px solid #ccc; }}
 header.failed {{ background: #fde8e8; }}
 #message {{ font-weight: bold; }}
 ul {{ margin: 4px 0 0; padding-left: 20px; color: #a00; max-height: 30vh; overflow: auto; }}
 iframe {{ flex: 1; border: 0; width: 100%; }}
</style></head>
<body>
<header id="bar"><span id="message">{labels["waiting"]}</span>
<div id="problems-title" hidden>{labels["problems"]}</div><ul id="problems"></ul></header>
<iframe id="pdf" title="{title}"></iframe>
<script>
let version = -1, pdfVersion = -1;
async function poll() {{
  try {{
    const r = await fetch("/status.json", {{cache: "no-store"}});
    const s = await r.json();
    if (s.version !== version) {{
      version = s.version;
      document.getElementById("message").textContent = s.message;
      document.getElementById("bar").className = s.ok ? "" : "failed";
      const list = document.getElementById("problems");
      list.replaceChildren(...s.problems.map(t => {{ const li = document.createElement("li");
        li.textContent = t; return li; }}));
      document.getElementById("problems-title").hidden = s.problems.length === 0;
      if (s.ok && s.has_pdf) {{ pdfVersion = version;
        document.getElementById("pdf").src = "/issue.pdf?v=" + version + "#view=FitH"; }}
      document.title = (s.ok ? "" : "✗ ") + {json.dumps(name)};
    }}
  }} catch (e) {{}}
  setTimeout(poll, {POLL_MS});
}}
poll();
</script>
</body></html>
"""


__all__ = ["Preview", "State", "page", "run", "serve"]
