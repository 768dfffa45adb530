"""The reviewed-Word reader: tracked changes either way, moves, paragraph marks, comments with
replies, formatting revisions, colours, pictures, identity — on a file bulletin-kit built and
edited the way Word writes edits (tests/review_word.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin_kit import identity, merge
from bulletin_kit.readers import review_docx

from ..review_word import Word, build_small


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("review")) / "output" / "2019-5.docx"


@pytest.fixture
def word(built: Path, tmp_path: Path) -> Word:
    copy = tmp_path / "reviewed.docx"
    shutil.copy(built, copy)
    return Word(copy)


def by_text(review: review_docx.Review, start: str) -> review_docx.ReviewParagraph:
    return next(p for p in review.paragraphs if p.text().startswith(start) or p.text(False).startswith(start))


def test_built_file_reads_as_styled_paragraphs_with_identity(built: Path) -> None:
    review = review_docx.read(built)
    styles = [(p.style, p.text()) for p in review.paragraphs if p.text()]
    assert ("文章标题", "春季植树活动圆满完成") in styles
    assert ("一级标题", "一、精心组织") in styles
    # the source line ends the article's last paragraph (a line break, a tab); merge splits it off
    assert ("简报正文", "植树完成后，各街道落实专人管护，确保成活率。\n\t（农业农村局）") in styles
    split = [(p.style, p.text) for p in merge.reviewed_paragraphs(review, True, "来源")]
    at = split.index(("简报正文", "植树完成后，各街道落实专人管护，确保成活率。"))
    assert split[at + 1] == ("来源", "（农业农村局）")
    assert ("目录", "行政审批局推行“一窗受理”") in styles
    assert review.revisions == [] and review.comments == [] and review.format_changes == 0
    assert review.tables == 2  # the article's table and the 版记 (a table at the foot of the last page)
    cells = [p.text() for p in review.paragraphs if p.table is not None and p.table[0] == 1]
    assert cells == ["项目", "数量", "路口", "52"]
    imprint = [p.text() for p in review.paragraphs if p.table is not None and p.table[0] == 2]
    assert imprint and all(p.style == "版记" for p in review.paragraphs if p.table and p.table[0] == 2)
    assert sum(p.pictures for p in review.paragraphs) == 1
    bold = by_text(review, "绿波带建成后")
    assert ("三成", True) in bold.spans()
    props = review.properties
    assert props[identity.PROPERTY_ISSUE] == "2019-5.yaml"
    assert len(props[identity.PROPERTY_STATE]) == 64
    assert identity.built_by_us(props)


def test_insertion_and_deletion_either_way(word: Word, tmp_path: Path) -> None:
    word.track(word.find("今年以来，行政审批局"), "更加便捷", "更加方便快捷", author="王处长")
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    p = by_text(review, "今年以来，行政审批局")
    assert p.text(accept=True) == "今年以来，行政审批局全面推行“一窗受理”，群众办事更加方便快捷。"
    assert p.text(accept=False) == "今年以来，行政审批局全面推行“一窗受理”，群众办事更加便捷。"
    kinds = [(r.kind, r.author, r.text, r.paragraph) for r in review.revisions]
    assert kinds == [("del", "王处长", "更加便捷", p.number), ("ins", "王处长", "更加方便快捷", p.number)]


def test_moved_text(word: Word, tmp_path: Path) -> None:
    source = word.find("活动由各街道")
    target = word.find("植树完成后")
    word.track_move(source, "参加义务植树。", target)
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    assert by_text(review, "活动由各街道").text() == "活动由各街道牵头，机关干部"
    assert by_text(review, "植树完成后").text().endswith("确保成活率。参加义务植树。\n\t（农业农村局）")
    assert (
        by_text(review, "植树完成后").text(False)
        == "植树完成后，各街道落实专人管护，确保成活率。\n\t（农业农村局）"
    )
    assert [r.kind for r in review.revisions] == ["moveFrom", "moveTo"]


def test_deleted_paragraph_mark_joins_paragraphs_when_accepted(word: Word, tmp_path: Path) -> None:
    word.track_join(word.find("活动由各街道"))
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    accepted = [p.text for p in merge.reviewed_paragraphs(review, True)]
    rejected = [p.text for p in merge.reviewed_paragraphs(review, False)]
    assert "活动由各街道牵头，机关干部参加义务植树。二、强化管护" in accepted
    assert "活动由各街道牵头，机关干部参加义务植树。" in rejected and "二、强化管护" in rejected
    assert [r.kind for r in review.revisions] == ["paragraph-del"]


def test_inserted_paragraph_vanishes_when_rejected(word: Word, tmp_path: Path) -> None:
    word.track_insert_paragraph(word.find("近日，星海街道"), "检查中发现隐患十二处。")
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    accepted = [p.text for p in merge.reviewed_paragraphs(review, True)]
    rejected = [p.text for p in merge.reviewed_paragraphs(review, False)]
    assert "检查中发现隐患十二处。" in accepted
    assert not any("十二处" in t for t in rejected)
    assert len(accepted) == len(rejected) + 1


def test_comments_with_replies_and_anchors(word: Word, tmp_path: Path) -> None:
    word.comment(word.find("窗口平均"), "请核实数据来源", author="李主任", reply="已与审批局核实")
    word.comment(word.find("近日，星海街道"), "检查范围？", author="赵科长")
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    first, reply, second = review.comments
    anchored = by_text(review, "窗口平均")
    assert (first.author, first.text, first.parent) == ("李主任", "请核实数据来源", None)
    assert first.paragraphs == [anchored.number]
    assert first.anchored == "窗口平均等候时间由二十分钟缩短到八分钟。"
    assert (reply.author, reply.text, reply.parent) == ("编辑", "已与审批局核实", first.id)
    assert reply.paragraphs == [anchored.number]
    assert (second.author, second.parent) == ("赵科长", None)
    assert second.anchored.startswith("近日，星海街道")


def test_formatting_revisions_colours_and_pictures(word: Word, tmp_path: Path) -> None:
    word.format_change(word.find("窗口平均"))
    word.colour(word.find("近日，星海街道"), "四十家")
    word.paste_picture(word.find("对发现的隐患"))
    review = review_docx.read(word.save(tmp_path / "r.docx"))
    assert review.format_changes == 1
    assert review.revisions == []  # formatting is not a pending text revision
    assert by_text(review, "近日，星海街道").coloured() == ["四十家"]
    assert by_text(review, "对发现的隐患").pictures == 1


def test_not_a_word_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(review_docx.ReviewError):
        review_docx.read(bad)
    assert identity.read(bad) == {}
