"""How long and how much memory bulletin-kit needs to build issues (run by hand, not a test).

    .venv/bin/python benchmarks/bench_build.py             # everything (about 5 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_build.py --quick     # without the synthetic year
    .venv/bin/python benchmarks/bench_build.py --runs 7    # more runs per case (the median is shown)
    .venv/bin/python benchmarks/bench_build.py --only cold --baseline /tmp/old   # against an older checkout

The machine is shared and noisy: every case runs ``--runs`` times, the cases of one comparison
interleaved, and the median is shown (with the spread). Compare ratios measured in the same run,
not seconds between runs. Sections (issue 14, "Speed"):

1. cold: ``bulletin build`` of the sample (docx + pdf) in a new process, end to end, against
   Typst compiling the same content with the same fonts (``benchmarks/typst_sample.py``; needs
   ``pip install typst``, skipped without it) in a new process; and the .docx beside the PDF in
   a thread, in a forked process, or one after the other (``pipeline.build(overlap=...)``).
2. warm: the stages of a PDF build in a warm process, and our Chinese justification's share
   (``typography/line_breaking.py`` controls; ``writers/weasyprint_hook.py``: ``justify_line``
   during layout, glyph spreading while drawing) of WeasyPrint's time.
3. watch: save-to-new-PDF in ``bulletin watch`` (one warm process; the file written, then the
   status page polled until the new build is served).
4. year: 50 synthetic issues like the sample, ``bulletin build folder`` from scratch with
   ``-j 1`` and ``-j 2``, then again with nothing changed; peak memory of the main process and
   of the largest worker.

Targets: cold ≤ 4 × typst; watch ≤ 1.2 s; year ≤ 35 s on 2 cores and ≤ 1 s unchanged;
peak memory per worker ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2018-28.yaml"
BULLETIN = Path(sys.executable).with_name("bulletin")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Return the peak resident memory in MB of this process or its largest child (Linux: KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def med(values: list[float]) -> str:
    """Return ``median (min–max)``."""
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


LAST_CPU = [0.0]
"""CPU seconds (user + system, of the process and all it waited for) of the last :func:`timed` run."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cwd: Path | None = None) -> float:
    """Run ``args``; return the wall seconds (fails loudly on a non-zero exit); its CPU goes to LAST_CPU."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=cwd)
    wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"{' '.join(args)}\n{done.stderr or done.stdout}")
    LAST_CPU[0] = _children_cpu() - cpu0
    return wall


# --- 1. cold ------------------------------------------------------------------------------------

OVERLAP_CHILD = """
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from bulletin_kit import pipeline
r = pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), ("docx", "pdf"), force=True, overlap=sys.argv[3])
assert r.ok and len(r.written) == 2, [p.render() for p in r.problems]
"""

BUILD_CHILD = """
import sys
source = sys.argv.pop(1)
# an editable install maps bulletin_kit to its own checkout ahead of sys.path: set it aside
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, source)
import bulletin_kit
assert bulletin_kit.__file__.startswith(source), bulletin_kit.__file__
try:  # the console script's entry (it forks the PDF worker before click), or an older checkout's
    from bulletin_kit.launch import main
except ImportError:
    from bulletin_kit.cli import main
sys.argv = ["bulletin", "build", *sys.argv[1:]]
main()
"""
"""``bulletin build`` of the bulletin-kit checkout given first (to compare with an older one)."""

TYPST_CHILD = """
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2])
"""


def cold(runs: int, baseline: Path | None = None) -> None:
    from typst_sample import write_typ

    has_typst = importlib.util.find_spec("typst") is not None
    typ = write_typ() if has_typst else None
    times: dict[str, list[float]] = {}
    cpu_times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            cases: dict[str, Callable[[], float]] = {
                "bulletin build (docx+pdf)": lambda: timed(
                    [str(BULLETIN), "build", str(SAMPLE), "-o", tmp, "--force"]
                ),
                "  overlap=thread": lambda: timed(
                    [sys.executable, "-c", OVERLAP_CHILD, str(SAMPLE), tmp, "thread"]
                ),
                "  overlap=process": lambda: timed(
                    [sys.executable, "-c", OVERLAP_CHILD, str(SAMPLE), tmp, "process"]
                ),
                "  overlap=none": lambda: timed(
                    [sys.executable, "-c", OVERLAP_CHILD, str(SAMPLE), tmp, "none"]
                ),
            }
            if baseline is not None:
                cases[f"baseline {baseline.name}"] = lambda: timed(
                    [sys.executable, "-c", BUILD_CHILD, str(baseline), str(SAMPLE), "-o", tmp, "--force"],
                    cwd=Path(tmp),
                )
                cases["this checkout, same way"] = lambda: timed(
                    [sys.executable, "-c", BUILD_CHILD, str(ROOT), str(SAMPLE), "-o", tmp, "--force"],
                    cwd=Path(tmp),
                )
            if typ is not None:
                out = str(Path(tmp) / "typst.pdf")
                cases["typst (same content)"] = lambda out=out: timed(
                    [sys.executable, "-c", TYPST_CHILD, str(typ), out]
                )
            for name, case in cases.items():
                times.setdefault(name, []).append(case())
                cpu_times.setdefault(name, []).append(LAST_CPU[0])
    print(
        f"1. cold, new process, {runs} runs interleaved: wall median (min–max); CPU median (load-independent)"
    )
    for name, values in times.items():
        print(f"   {name:<28} {med(values)}; CPU {statistics.median(cpu_times[name]):.2f} s")
    if typ is not None:
        ratio = statistics.median(times["bulletin build (docx+pdf)"]) / statistics.median(
            times["typst (same content)"]
        )
        print(f"   ratio bulletin build / typst: {ratio:.1f} (goal ≤ 4)")
        cpu_ratio = statistics.median(cpu_times["bulletin build (docx+pdf)"]) / statistics.median(
            cpu_times["typst (same content)"]
        )
        print(f"   CPU ratio bulletin build / typst: {cpu_ratio:.1f}")
        if baseline is not None:
            old = statistics.median(times[f"baseline {baseline.name}"]) / statistics.median(
                times["typst (same content)"]
            )
            print(f"   ratio baseline / typst: {old:.1f}")


# --- 2. warm stages and the justification's share --------------------------------------------------


def warm(runs: int) -> None:
    from bulletin_kit import pipeline
    from bulletin_kit.theme import get_theme
    from bulletin_kit.writers import html, pdf, weasyprint_hook

    spent = {"justify_line": 0.0, "spread_glyphs": 0.0, "break_rules": 0.0}

    def clocked(name: str, function: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0

        wrapper._bulletin_kit_patch = True  # type: ignore[attr-defined]
        return wrapper

    owners = {"justify_line": weasyprint_hook, "spread_glyphs": weasyprint_hook, "break_rules": html}
    originals = {name: getattr(owners[name], name) for name in spent}
    stages: dict[str, list[float]] = {}
    shares: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            for name in spent:
                spent[name] = 0.0
                setattr(owners[name], name, clocked(name, originals[name]))
            try:
                t0 = time.perf_counter()
                issue, _ = pipeline.read(SAMPLE)
                assert issue is not None
                timings = {"read": time.perf_counter() - t0}
                pdf.write(issue, get_theme(issue.layout.theme), Path(tmp) / "x.pdf", timings=timings)
            finally:
                for name, function in originals.items():
                    setattr(owners[name], name, function)
            if i:  # the first build is the cold one
                for key, value in timings.items():
                    stages.setdefault(key, []).append(value)
                shares.append(sum(spent.values()) / (timings["layout"] + timings["pdf"]))
                pages = _pages(Path(tmp) / "x.pdf")
    line = ", ".join(f"{k} {statistics.median(v):.3f} s" for k, v in stages.items())
    print(f"2. warm PDF build of the sample ({pages} pages), medians of {runs}: {line}")
    print(
        f"   the justification's share of WeasyPrint's layout + drawing: {statistics.median(shares):.1%} "
        f"(last run: justify_line {spent['justify_line']:.3f} s, "
        f"spread_glyphs {spent['spread_glyphs']:.3f} s, break_rules {spent['break_rules']:.3f} s)"
    )


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- 3. watch ---------------------------------------------------------------------------------------


def watch_latency(runs: int) -> None:
    from bulletin_kit import watch

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "issues"
        folder.mkdir()
        for name in ("2018-28.yaml", "series.yaml"):
            shutil.copy(SAMPLE.parent / name, folder / name)
        issue = folder / "2018-28.yaml"
        stop = threading.Event()
        ready: list[str] = []
        thread = threading.Thread(
            target=watch.run,
            args=(issue, Path(tmp) / "output", 0),
            kwargs={"echo": lambda _: None, "stop": stop, "ready": ready.append},
        )
        thread.start()
        latencies = []
        try:
            while not ready:
                time.sleep(0.02)
            url = ready[0] + "status.json"
            time.sleep(0.3)
            text = issue.read_text(encoding="utf-8")
            for n in range(runs):
                version = _version(url)
                t0 = time.perf_counter()
                issue.write_text(text.replace("取得初步成效", f"取得初步成效{n}"), encoding="utf-8")
                while _version(url) == version:
                    time.sleep(0.01)
                latencies.append(time.perf_counter() - t0)
                time.sleep(0.2)
        finally:
            stop.set()
            thread.join()
    print(f"3. watch, save to new PDF served, {runs} saves: {med(latencies)} (goal ≤ 1.2 s)")


def _version(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return int(json.loads(response.read())["version"])


# --- 4. a synthetic year -------------------------------------------------------------------------------


def make_year(folder: Path, count: int = 50) -> list[Path]:
    """Write ``count`` issues like the sample (weekly dates, articles rotated) into ``folder``."""
    import yaml

    shutil.copy(SAMPLE.parent / "series.yaml", folder / "series.yaml")
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    articles = data["articles"]
    paths = []
    first = dt.date(2018, 1, 4)
    for n in range(1, count + 1):
        k = n % len(articles)
        issue = {
            **data,
            "issue_no": n,
            "total_no": 618 + n,
            "date": first + dt.timedelta(days=7 * (n - 1)),
            "articles": articles[k:] + articles[:k],
        }
        path = folder / f"2018-{n:02d}.yaml"
        path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


YEAR_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from bulletin_kit import batch
files = sorted(p for p in Path(sys.argv[1]).glob("*.yaml") if p.name != "series.yaml")
built = skipped = 0
for outcome in batch.build_many(files, Path(sys.argv[2]), ("docx", "pdf"), force=sys.argv[4] == "1",
                                jobs=int(sys.argv[3])):
    if outcome.skipped:
        skipped += 1
    else:
        assert outcome.result.ok, [p.render() for p in outcome.result.problems]
        built += 1
import os
cpu = os.times()
print(json.dumps({"wall": time.perf_counter() - t0, "built": built, "skipped": skipped,
                  "cpu": cpu.user + cpu.system + cpu.children_user + cpu.children_system,
                  "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def year_child(folder: Path, out: Path, jobs: int, force: bool) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", YEAR_CHILD, str(folder), str(out), str(jobs), "1" if force else "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def year(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "issues"
        folder.mkdir()
        make_year(folder)
        print("4. a year of 50 issues (docx + pdf):")
        for jobs in (1, 2):
            figures = year_child(folder, Path(tmp) / f"out{jobs}", jobs, force=True)
            print(
                f"   from scratch, -j {jobs}: {figures['wall']:.1f} s "
                f"({figures['built']:.0f} built, {figures['cpu']:.0f} CPU s: at least "
                f"{figures['cpu'] / jobs:.0f} s on {jobs} free cores); "
                f"peak main {figures['main_mb']:.0f} MB, "
                f"largest child process {figures['worker_mb']:.0f} MB"
            )
        unchanged = [
            timed([str(BULLETIN), "build", str(folder), "-o", str(Path(tmp) / "out2")]) for _ in range(runs)
        ]
        print(f"   nothing changed, `bulletin build` new process: {med(unchanged)} (goal ≤ 1 s)")


# --- report ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per case (the median is shown)")
    parser.add_argument("--quick", action="store_true", help="skip the synthetic year")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="an older checkout (git worktree add /tmp/old COMMIT) to time the same way",
    )
    parser.add_argument("--only", choices=["cold", "warm", "watch", "year"], help="run one section")
    args = parser.parse_args()
    print(f"bulletin-kit benchmark: {SAMPLE.relative_to(ROOT)}, Python {sys.version.split()[0]}")
    sections = {  # the year first: Linux counts this process's own peak into a child's
        "year": lambda: year(args.runs),
        "cold": lambda: cold(args.runs, args.baseline),
        "warm": lambda: warm(args.runs),
        "watch": lambda: watch_latency(args.runs),
    }
    for name, section in sections.items():
        if (args.only or name) == name and not (args.quick and name == "year" and not args.only):
            section()


if __name__ == "__main__":
    main()
