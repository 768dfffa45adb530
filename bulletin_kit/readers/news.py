"""Text rules for news pages copied from a PDF: page numbers, photo captions, name bylines.

Pure functions on one line of cleaned text (no position, no model); :mod:`.contrib` decides
where they apply. A news page copied out of a PDF carries things an article written in Word does
not: the page number printed at the foot (``3``, ``- 3 -``, ``— 3 —``) as a line of its own,
photo captions (``……。 张三 摄``, ``……　某某局供图``, ``（图片由……提供）``) wherever the copy put
them — often between the two halves of a sentence — and bylines that are only names
(``张晓东 林一鸣``), often behind a decoration mark (``■记者 张三``).
"""

from __future__ import annotations

import re

from ..typography.chars import HAN  # not ..cjk: its rules take 30 ms to load

DECORATION = "■●◆★▲□○◇☆◎※"
"""Marks set before a byline (or a 引题) in newspaper layout, never part of the text."""

PENDING_PREFIX = "待补图片"
"""File-name prefix of a picture the importer made from a caption: the editor supplies the file."""

_PAGE_NUMBER = re.compile(r"^[-—－–─\s]*\d{1,3}[-—－–─\s]*$")
_NAME = rf"[{HAN}]{{2,3}}"
_GAP = r"[\s\u3000]+"
_CREDIT_PHOTO = re.compile(
    rf"^(?P<cap>.*?[^\s\u3000])(?:(?<=[。！？”])|{_GAP})[（(]?(?P<who>{_NAME}(?:{_GAP}{_NAME}){{0,2}})"
    r"[\s\u3000]*摄[）)]?$"
)
_CREDIT_GIVEN = re.compile(r"(供图|供稿图)[）)]?$")
_PROVIDED = re.compile(r"[（(]图片由[^（）()]{1,30}提供[）)]$")
_NAMES = re.compile(rf"^{_NAME}(?:{_GAP}{_NAME}){{1,3}}$")
_INLINE = re.compile(
    rf"图为[^。！？\n]{{2,60}}?(?:。[\s\u3000]*|{_GAP})(?P<who>{_NAME}(?:{_GAP}{_NAME}){{0,2}})[\s\u3000]*摄"
    r"|[（(]图片由[^（）()\n]{1,30}提供[）)]"
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池乜姚瞿"
)
"""Common Chinese surnames: a line of names is told from a two-part title by them."""


def page_number(text: str) -> bool:
    """Return True for a line that is only a printed page number (``3``, ``- 3 -``, ``— 12 —``)."""
    return bool(_PAGE_NUMBER.match(text))


def caption(text: str) -> tuple[str, str] | None:
    """Return (caption, photographer) when ``text`` is a photo caption, else None.

    ``……。 张三 摄`` gives the photographer (printed back as ``图注　张三　摄``); a caption that
    credits a unit (``……　某某局供图``, ``（图片由……提供）``) keeps the credit in its text.
    """
    if not text or len(text) > 90 or text.count("。") > 2:
        return None
    if m := _CREDIT_PHOTO.match(text):
        return m.group("cap").rstrip("。"), m.group("who")
    if _CREDIT_GIVEN.search(text) or _PROVIDED.search(text):
        return text, ""
    return None


def inline_caption(text: str) -> tuple[int, int, str, str] | None:
    """Return (start, end, caption, photographer) of a caption the copy pasted into a sentence.

    Only the unmistakable forms: ``图为……。 张三 摄`` (the name led by a surname) and
    ``（图片由……提供）``; a whole line that is a caption is :func:`caption`'s.
    """
    for m in _INLINE.finditer(text):
        if m.start() == 0 and m.end() == len(text):
            continue
        who = m.group("who")
        if who and not all(name[0] in SURNAMES for name in re.split(_GAP, who)):
            continue
        found = caption(m.group(0))
        if found:
            return m.start(), m.end(), *found
    return None


def names_line(text: str) -> bool:
    """Return True for a byline of 2–4 personal names separated by spaces (``周明 吴芳 郑海``)."""
    if not _NAMES.match(text):
        return False
    return all(name[0] in SURNAMES for name in re.split(_GAP, text))


def undecorated(text: str) -> str:
    """Return ``text`` without the decoration marks (■ ● ◆ ★ …) and spaces at its start."""
    return text.lstrip(DECORATION + " \u3000")
