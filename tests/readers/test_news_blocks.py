"""The news-feature syntax of the body text: CJK-friendly bold, quotes, signature lines, boxes, pictures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from bulletin_kit.model import Box, Image, ImageGroup, Paragraph, Span, plain
from bulletin_kit.problems import Level
from bulletin_kit.readers.body_text import BodySource, parse
from bulletin_kit.readers.news_blocks import parse_width, split_credit
from bulletin_kit.writers import issue_yaml, printed

DOC = Path(__file__).resolve().parents[2] / "docs" / "issue-format.md"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    PILImage.new("RGB", (64, 48), "red").save(tmp_path / "wide.jpg")
    PILImage.new("RGB", (48, 64), "blue").save(tmp_path / "tall.jpg")
    return tmp_path


def read(text: str, base: Path | None = None):
    source = BodySource(file=Path("x.yaml"), first_line=10, field="articles[0].body", base_dir=base)
    return parse(text, source)


@pytest.mark.parametrize(
    ("text", "bold"),
    [
        ("**抓牢党建引领促转变。**该局推进", "抓牢党建引领促转变。"),
        ("推进**服务下沉，**加快", "服务下沉，"),
        ("称为“**一窗受理**”模式", "一窗受理"),
        ("推进**“最多跑一次”**改革", "“最多跑一次”"),
        ("全市**第一**。", "第一"),
        ("a **b** c", "b"),
    ],
)
def test_bold_next_to_chinese_punctuation(text: str, bold: str) -> None:
    blocks, problems = read(text)
    assert problems == []
    (para,) = blocks
    assert isinstance(para, Paragraph)
    assert [s.text for s in para.spans if s.bold] == [bold]
    assert "*" not in plain(para.spans)


def test_every_printed_asterisk_is_warned_with_its_line_and_column() -> None:
    blocks, problems = read("第一段。\n\n这是**没配对的星号。\n\n这是*单星*号，\\*\\*转义的不警告。")
    assert [plain(b.spans) for b in blocks] == [  # type: ignore[union-attr]
        "第一段。",
        "这是**没配对的星号。",
        "这是*单星*号，**转义的不警告。",
    ]
    assert [(p.code, p.line, p.col, p.level) for p in problems] == [
        ("body.emphasis_unmatched", 12, 3, Level.WARNING),
        ("body.emphasis_single", 14, 3, Level.WARNING),
    ]
    assert "没有配对" in problems[0].message


def test_quote_signature_and_box() -> None:
    text = "> 引语第一行\n> 第二行**加粗，**完。\n\n--> 某某单位　2025年6月\n\n::: 【看点】\n看点一。\n\n看点二。\n:::\n\n正文。"
    blocks, problems = read(text)
    assert problems == []
    quote, signature, box, body = blocks
    assert isinstance(quote, Paragraph) and quote.role == "quote"
    assert quote.spans == (Span(text="引语第一行第二行"), Span(text="加粗，", bold=True), Span(text="完。"))
    assert isinstance(signature, Paragraph) and signature.role == "signature"
    assert plain(signature.spans) == "某某单位\u30002025年6月"
    assert isinstance(box, Box) and box.label == "看点"
    assert [plain(p.spans) for p in box.paragraphs] == ["看点一。", "看点二。"]
    assert isinstance(body, Paragraph) and body.role is None


def test_escaped_markers_stay_text() -> None:
    blocks, _ = read("\\> 不是引用\n\n\\--> 不是落款\n\n\\::: 不是框")
    assert [(plain(b.spans), b.role) for b in blocks] == [  # type: ignore[union-attr]
        ("> 不是引用", None),
        ("--> 不是落款", None),
        ("::: 不是框", None),
    ]


def test_a_picture_in_a_box_moves_after_it_with_a_warning(folder: Path) -> None:
    blocks, problems = read("::: 【盘点】\n文字。\n\n![图](wide.jpg)\n:::", folder)
    assert [type(b).__name__ for b in blocks] == ["Box", "Image"]
    assert [(p.code, p.line) for p in problems] == [("body.box_content", 13)]


@pytest.mark.parametrize(
    ("title", "credit", "verb", "printed_as"),
    [
        ("张三 摄", "张三", "摄", "图　张三　摄"),
        ("张三", "张三", "摄", "图　张三　摄"),
        ("市局 供图", "市局", "供图", "图　市局　供图"),
        ("图片由市委宣传部提供", "图片由市委宣传部提供", "", "图　图片由市委宣传部提供"),
    ],
)
def test_credits(title: str, credit: str, verb: str, printed_as: str) -> None:
    assert split_credit(title) == (credit, verb)
    image = Image(path=Path("/x.jpg"), caption="图", credit=credit, credit_verb=verb)
    assert printed.caption_text(image) == printed_as


@pytest.mark.parametrize(
    ("value", "share"),
    [("1/2", 0.5), ("半", 0.5), ("1/3", 1 / 3), ("2/3", 2 / 3), ("全宽", 1.0), ("40%", 0.4), ("半个", None)],
)
def test_widths(value: str, share: float | None) -> None:
    assert parse_width(value) == share


def test_pictures_side_by_side_with_a_shared_caption_and_credit(folder: Path) -> None:
    text = (
        '![甲](wide.jpg "周敏")\n![乙](tall.jpg "周敏"){1/3}\n两地同步开展（李四　摄）\n\n![丙](wide.jpg){宽}'
    )
    blocks, problems = read(text, folder)
    group, single = blocks
    assert isinstance(group, ImageGroup)
    assert [(i.caption, i.credit, i.width) for i in group.images] == [
        ("甲", "周敏", None),
        ("乙", "周敏", 1 / 3),
    ]
    assert (group.caption, group.credit, group.credit_verb) == ("两地同步开展", "李四", "摄")
    assert printed.caption_text(group) == "两地同步开展　李四　摄"
    assert isinstance(single, Image) and single.width is None
    assert [(p.code, p.line) for p in problems] == [("body.image_width", 14)]


def test_one_credit_under_a_row_when_all_pictures_share_it(folder: Path) -> None:
    blocks, _ = read('![甲](wide.jpg "周敏")\n![乙](tall.jpg "周敏")\n![丙](wide.jpg "周敏")', folder)
    (group,) = blocks
    assert isinstance(group, ImageGroup)
    assert [i.credit for i in group.images] == ["", "", ""]
    assert printed.caption_text(group) == "周敏　摄"


def test_four_pictures_make_two_rows(folder: Path) -> None:
    blocks, _ = read("\n".join(["![](wide.jpg)"] * 4), folder)
    assert [len(b.images) for b in blocks] == [2, 2]  # type: ignore[union-attr]


def test_row_pictures_share_one_height_and_fill_the_width(folder: Path) -> None:
    from bulletin_kit.theme import Theme

    theme = Theme()
    group = ImageGroup(images=(Image(path=folder / "wide.jpg"), Image(path=folder / "tall.jpg")))
    sizes = printed.group_sizes_mm(group, theme)
    assert sizes[0][1] == pytest.approx(sizes[1][1], abs=0.02)
    total = sum(w for w, _ in sizes) + printed.GROUP_GAP_MM
    limit = printed.PORTRAIT_MAX_HEIGHT * theme.text_height_mm
    assert total == pytest.approx(theme.text_width_mm, abs=0.1) or sizes[1][1] == pytest.approx(limit)
    tall = printed.picture_size_mm(Image(path=folder / "tall.jpg", width=1.0), theme)
    assert tall[1] == pytest.approx(limit, abs=0.01)  # an upright photo at full width is capped


def test_news_blocks_write_back_as_they_read(folder: Path) -> None:
    text = (
        "> 引语**加粗，**完。\n\n--> 落款\n\n::: 【盘点】\n一。\n\n二。\n:::\n\n"
        '![甲](wide.jpg "市局 供图"){1/2}\n\n'
        '![甲](wide.jpg "图片由市局提供")\n![乙](tall.jpg)\n共用图注（李四　摄）'
    )
    blocks, problems = read(text, folder)
    assert problems == []
    again, problems = read(issue_yaml.body_text(blocks, folder), folder)
    assert problems == []
    canonical = issue_yaml.canonical
    from bulletin_kit.model import Article

    assert canonical(Article(title=("t",), blocks=again)) == canonical(Article(title=("t",), blocks=blocks))


def test_the_documented_example_reads_as_documented(tmp_path: Path) -> None:
    doc = DOC.read_text(encoding="utf-8")
    example = doc.split("## 新闻稿")[1].split("```")[1].strip("\n")
    (tmp_path / "photos").mkdir()
    for name in ("street", "block", "hall", "court", "drain", "worker", "lamp"):
        PILImage.new("RGB", (64, 48), "green").save(tmp_path / "photos" / f"{name}.jpg")
    blocks, problems = read(example, tmp_path)
    assert problems == []
    kinds = [b.role if isinstance(b, Paragraph) else b.kind for b in blocks]
    assert kinds == [None, "quote", "image", "image", "image_group", "image_group", "box", "signature"]
    _, _, street, block, row, row3, _, _ = blocks
    assert printed.caption_text(street) == "新建成的城市道路　记者　林晓　摄"  # type: ignore[arg-type]
    assert printed.caption_text(block) == "改造后的老旧小区　平阳县住建局　供图"  # type: ignore[arg-type]
    assert block.width == 0.5  # type: ignore[union-attr]
    assert printed.caption_text(row) == "县司法局推进府院联动诉源治理　图片由平阳县司法局提供"  # type: ignore[arg-type]
    assert printed.caption_text(row3) == "周敏　摄"  # type: ignore[arg-type]
