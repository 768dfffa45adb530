"""How long and how much memory bulletin-kit needs to build an issue (run by hand, not a test).

    .venv/bin/python benchmarks/bench_build.py             # the sample, cold and warm, and a year
    .venv/bin/python benchmarks/bench_build.py --quick     # without the synthetic year
    .venv/bin/python benchmarks/bench_build.py --runs 5    # more cold runs per case (median shown)

Cases (issue 4, "Speed"): the sample ``issues/2018-28.yaml`` to PDF, to DOCX and to both,
*cold* (a new Python process: interpreter, imports, fonts, first layout) and *warm* (the second
build in one process); the PDF build split into bulletin-kit's own work (reading, transforms,
font check, templating) and WeasyPrint's (layout, then drawing + font subsetting + writing);
and a synthetic year of 50 issues built one by one in one process. Peak memory is the process's
maximum resident set size. A writer that does not exist yet is skipped.

Targets: sample to PDF + DOCX ≤ 1.5 s cold, bulletin-kit's own share < 15 %, peak memory ≤ 300 MB.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2018-28.yaml"
sys.path.insert(0, str(ROOT))

CASES = {"pdf": ("pdf",), "docx": ("docx",), "both": ("docx", "pdf")}


def available(formats: tuple[str, ...]) -> bool:
    """Return whether every writer of ``formats`` exists."""
    return all(importlib.util.find_spec(f"bulletin_kit.writers.{fmt}") is not None for fmt in formats)


def peak_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the child process: one measured build ------------------------------------------------------


def child(formats: tuple[str, ...], out_dir: Path, warm: bool) -> dict[str, object]:
    """Build the sample (twice when ``warm``) and return the figures of the last build."""
    started = time.perf_counter()
    from bulletin_kit import pipeline

    imported = time.perf_counter() - started
    if "pdf" in formats:  # imported by the PDF writer anyway; timed apart to show its share
        started = time.perf_counter()
        import weasyprint  # noqa: F401

        weasyprint_import = time.perf_counter() - started
    else:
        weasyprint_import = 0.0
    result = None
    for _ in range(2 if warm else 1):
        t0 = time.perf_counter()
        result = pipeline.build(SAMPLE, out_dir, formats, force=True)
        build = time.perf_counter() - t0
    assert result is not None
    if not result.ok:
        raise SystemExit("\n".join(p.render() for p in result.problems))
    return {
        "build": build,
        "imports": imported,
        "weasyprint_import": weasyprint_import,
        "seconds": result.seconds,
        "peak_mb": peak_mb(),
        "files": {p.suffix[1:]: p.stat().st_size for p in result.written},
    }


def run_child(formats: tuple[str, ...], warm: bool) -> dict[str, object]:
    """Run :func:`child` in a new interpreter; return its figures plus the wall time seen from outside."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, __file__, "--child", ",".join(formats), tmp] + (["--warm"] if warm else [])
        t0 = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(done.stderr or done.stdout)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


# --- PDF breakdown, pages, sizes ---------------------------------------------------------------------


def pdf_breakdown(runs: int) -> dict[str, float]:
    """Return the median seconds per stage of a warm PDF build of the sample."""
    from bulletin_kit import pipeline
    from bulletin_kit.theme import get_theme
    from bulletin_kit.writers import pdf

    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            issue, _ = pipeline.read(SAMPLE)
            assert issue is not None
            timings = {"read": time.perf_counter() - t0}
            pdf.write(issue, get_theme(issue.layout.theme), Path(tmp) / "x.pdf", timings=timings)
            if i:  # the first build is the cold one
                for key, value in timings.items():
                    stages.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in stages.items()}


def pdf_pages(path: Path) -> int:
    """Return the number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- a synthetic year ----------------------------------------------------------------------------


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


def year(formats: tuple[str, ...]) -> dict[str, float]:
    """Build a synthetic year in this process; return total/mean/max seconds and peak memory."""
    from bulletin_kit import pipeline

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "issues"
        folder.mkdir()
        paths = make_year(folder)
        times = []
        t0 = time.perf_counter()
        for path in paths:
            t = time.perf_counter()
            result = pipeline.build(path, Path(tmp) / "output", formats, force=True)
            if not result.ok:
                raise SystemExit("\n".join(p.render() for p in result.problems))
            times.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
    return {"issues": len(paths), "total": total, "mean": statistics.mean(times), "max": max(times)}


# --- report ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="cold runs per case (the median is shown)")
    parser.add_argument("--quick", action="store_true", help="skip the synthetic year")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("out", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(tuple(args.child.split(",")), Path(args.out), args.warm)))
        return

    print(f"bulletin-kit benchmark: {SAMPLE.relative_to(ROOT)}, Python {sys.version.split()[0]}")
    print(f"{'case':<6} {'mode':<5} {'wall s':>7} {'imports s':>10} {'build s':>8} {'peak MB':>8}   files")
    sizes: dict[str, int] = {}
    for name, formats in CASES.items():
        if not available(formats):
            print(f"{name:<6} skipped: writer {', '.join(formats)} not found")
            continue
        for warm in (False, True):
            runs = [run_child(formats, warm) for _ in range(args.runs if not warm else 1)]
            wall = statistics.median(r["wall"] for r in runs)
            build = statistics.median(r["build"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            files = runs[0]["files"]
            sizes.update(files)
            listed = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in files.items())
            imports = statistics.median(r["imports"] + r["weasyprint_import"] for r in runs)
            if warm:
                print(f"{name:<6} {'warm':<5} {'':>7} {'':>10} {build:>8.2f} {peak:>8.0f}   {listed}")
            else:
                cold = f"{wall:>7.2f} {imports:>10.2f} {build:>8.2f} {peak:>8.0f}"
                print(f"{name:<6} {'cold':<5} {cold}   {listed}")
    print(
        "  cold: wall = a new process end to end; imports = bulletin-kit + WeasyPrint; build = pipeline.build"
        "\n  warm: build = the second pipeline.build in the same process"
    )

    if available(("pdf",)):
        stages = pdf_breakdown(args.runs)
        total = sum(stages.values())
        own = stages["read"] + stages.get("fonts", 0) + stages.get("html", 0)
        with tempfile.TemporaryDirectory() as tmp:
            from bulletin_kit import pipeline

            result = pipeline.build(SAMPLE, Path(tmp), ("pdf",), force=True)
            pages = pdf_pages(result.written[0])
        print(
            "pdf warm stages: "
            + ", ".join(f"{k} {v:.3f} s" for k, v in stages.items())
            + f"; bulletin-kit's own share {own / total:.1%}"
            + f"; {pages} pages, {sizes.get('pdf', 0) / 1e6:.2f} MB"
        )

    if not args.quick:
        formats = tuple(f for f in ("docx", "pdf") if available((f,)))
        figures = year(formats)
        print(
            f"year of {figures['issues']} issues ({'+'.join(formats)}), one process: "
            f"{figures['total']:.1f} s total, {figures['mean']:.2f} s mean, "
            f"{figures['max']:.2f} s max per issue; "
            f"peak {peak_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
