"""The sample issue as a Typst document, to time against (benchmarks only; not a writer).

    .venv/bin/python benchmarks/typst_sample.py              # write benchmarks/sample.typ
    .venv/bin/python benchmarks/typst_sample.py --compile    # also compile it (needs `pip install typst`)

Same content (masthead, 本期要目, every title, heading, paragraph, source, 版记) and the same fonts
(the Fandol faces, Noto Serif CJK SC Bold for titles, Liberation Serif for Latin) at the theme's
sizes, on the GB/T 9704 page (A4, 156 × 225 mm text block, 22 lines of 三号). It is a fair
yardstick for the time of laying out and writing this much Chinese text, not a second writer:
no line-breaking rules of our own, no Word output.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2018-28.yaml"
TYP = Path(__file__).resolve().parent / "sample.typ"
sys.path.insert(0, str(ROOT))

FONTS = {
    "fangsong": '("Liberation Serif", "FandolFang R")',
    "kaiti": '("Liberation Serif", "FandolKai")',
    "heiti": '("Liberation Serif", "FandolHei")',
    "songti": '("Liberation Serif", "FandolSong")',
    "xiaobiaosong": '("Liberation Serif", "Noto Serif CJK SC")',
}


def esc(text: str) -> str:
    """Return ``text`` as Typst markup that shows it literally."""
    out = []
    for char in text:
        if char in "\\#*_`$<>@=-+/[]~'\"":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out).replace("\n", " ")


def spans(items: object) -> str:
    return "".join(esc(s.text) if not s.bold else f"*{esc(s.text)}*" for s in items)  # type: ignore[attr-defined]


def make_typ(issue: object) -> str:
    """Return the Typst source of ``issue`` (a bulletin_kit Issue)."""
    from bulletin_kit.model import Heading, Paragraph, Table
    from bulletin_kit.numerals import chinese_date, issue_line

    m = issue.masthead  # type: ignore[attr-defined]
    lines = [
        '#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),',
        "  footer: context align(if calc.odd(here().page()) { right } else { left },",
        f"    text(font: {FONTS['songti']}, size: 14pt)[— #counter(page).display() —]))",
        f'#set text(font: {FONTS["fangsong"]}, size: 16pt, lang: "zh", region: "cn")',
        "#set par(justify: true, first-line-indent: (amount: 2em, all: true),",
        "  leading: 14.2pt, spacing: 14.2pt)",
        "",
    ]
    for mark in m.marks:
        lines.append(f"#block(text(font: {FONTS['heiti']})[{esc(mark)}])")
    title_font = f"font: {FONTS['xiaobiaosong']}, weight: 700"
    lines.append(f"#align(center, text({title_font}, size: 60pt, fill: red)[{esc(m.name)}])")
    if m.marker:
        lines.append(f"#align(center, text(font: {FONTS['kaiti']})[（{esc(m.marker)}）])")
    lines.append(f"#align(center)[{esc(issue_line(m.issue_no, m.total_no, m.special))}]")
    lines.append(f"#block[{esc(m.publisher)} #h(1fr) {esc(chinese_date(m.date))}]")
    lines.append("#line(length: 100%, stroke: 1pt + red)")
    lines.append(f"#block(text(font: {FONTS['heiti']})[本期要目])")
    for entry in issue.toc:  # type: ignore[attr-defined]
        lines.append(f"#block(inset: (left: 2em), text(font: {FONTS['kaiti']})[{esc(entry)}])")
    for article in issue.articles:  # type: ignore[attr-defined]
        lines.append("")
        for title_line in article.title:
            lines.append(f"#align(center, text({title_font}, size: 22pt)[{esc(title_line)}])")
        if article.subtitle:
            lines.append(f"#align(center, text(font: {FONTS['kaiti']})[——{esc(article.subtitle)}])")
        for block in article.blocks:
            if isinstance(block, Heading):
                role = {1: "heiti", 2: "kaiti"}.get(block.level, "fangsong")
                lines.append(f"#text(font: {FONTS[role]})[{spans(block.spans)}]{spans(block.run_in)}")
                lines.append("")
            elif isinstance(block, Paragraph):
                label = f"#text(font: {FONTS['heiti']})[【{esc(block.label)}】]" if block.label else ""
                lines.append(label + spans(block.spans))
                lines.append("")
            elif isinstance(block, Table):
                cells = ", ".join(f"[{esc(c)}]" for row in block.rows for c in row)
                lines.append(f"#table(columns: {len(block.rows[0])}, {cells})")
        if article.source:
            lines.append(f"#align(right)[（{esc(article.source)}）]")
    d = issue.distribution  # type: ignore[attr-defined]
    lines.append("#v(1fr)")
    lines.append("#line(length: 100%, stroke: 0.75pt)")
    for dist in d.lines:
        lines.append(f"#block(text(size: 14pt)[{esc(dist.label)}：{esc('，'.join(dist.recipients))}])")
    lines.append("#line(length: 100%, stroke: 0.75pt)")
    return "\n".join(lines) + "\n"


def write_typ() -> Path:
    """Write :data:`TYP` from the sample issue; return its path."""
    from bulletin_kit import pipeline

    issue, problems = pipeline.read(SAMPLE)
    if issue is None:
        raise SystemExit("\n".join(p.render() for p in problems))
    TYP.write_text(make_typ(issue), encoding="utf-8")
    return TYP


def font_paths() -> list[str]:
    """Return the folders of the fonts the .typ names (Typst finds system fonts too; this is explicit)."""
    from bulletin_kit import fonts

    return sorted({str(p.parent) for p in fonts.font_files() if "andol" in p.name or "Liberation" in p.name})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compile", action="store_true", help="compile it and print the time")
    args = parser.parse_args()
    path = write_typ()
    print(f"wrote {path.relative_to(ROOT)}")
    if args.compile:
        import typst

        t0 = time.perf_counter()
        typst.compile(str(path), output="/tmp/bulletin-kit-sample-typst.pdf")
        print(f"typst: {time.perf_counter() - t0:.2f} s -> /tmp/bulletin-kit-sample-typst.pdf")


if __name__ == "__main__":
    main()
