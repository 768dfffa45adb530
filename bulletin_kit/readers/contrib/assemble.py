"""Step 1, assemble: working paragraphs from the raw blocks; a piece after a soft line break joins
the paragraph before it.

Input: raw blocks. Output: :class:`Para`, :class:`Caption`, images and tables in document order.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ...model import Span
from .raw import Hint, RawBlock, RawImage, RawParagraph, RawTable
from .rules import _flat

# ---------------------------------------------------------------- working paragraphs


@dataclass
class Para:
    """A paragraph being cleaned: text with ``\\n`` at soft breaks, and per character its bold and origin."""

    text: str
    bold: list[bool]
    where: list[tuple[int, int]]
    first: RawParagraph

    @property
    def line(self) -> int:
        return self.where[0][0] if self.where else self.first.line

    def at(self, index: int) -> tuple[int, int]:
        """Return the input (line, column) of character ``index`` (clamped to the text)."""
        if not self.where:
            return (self.first.line, self.first.col)
        return self.where[max(0, min(index, len(self.where) - 1))]

    @property
    def flat(self) -> str:
        return _flat(self.text)

    @property
    def hint(self) -> Hint | None:
        return self.first.hint

    @property
    def bold_all(self) -> bool:
        return bool(self.bold) and all(
            b for b, c in zip(self.bold, self.text, strict=True) if not c.isspace()
        )

    def spans(self) -> tuple[Span, ...]:
        """Return the text as spans, soft breaks joined."""
        out: list[Span] = []
        text = self.text
        for i, char in enumerate(text):
            if char == "\n":
                prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
                if not (prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()):
                    continue
                char = " "
            bold = self.bold[i]
            if out and out[-1].bold == bold:
                out[-1] = Span(text=out[-1].text + char, bold=bold)
            else:
                out.append(Span(text=char, bold=bold))
        return tuple(out)

    def edit(self, new: str) -> None:
        """Replace the text by ``new``, carrying bold and origin over to the characters kept or changed."""
        if new == self.text:
            return
        bold: list[bool] = []
        where: list[tuple[int, int]] = []
        old = self.text
        for op, a0, a1, b0, b1 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op == "equal":
                bold += self.bold[a0:a1]
                where += self.where[a0:a1]
            elif op in ("replace", "insert"):
                k = min(a0, len(old) - 1)
                b = self.bold[k] if k >= 0 else False
                w = self.where[k] if k >= 0 else (self.first.line, self.first.col)
                bold += [b] * (b1 - b0)
                where += [w] * (b1 - b0)
        self.text, self.bold, self.where = new, bold, where


@dataclass
class Caption:
    """A photo caption taken out of the text (see :mod:`.news`); it becomes a picture to supply."""

    para: Para
    caption: str
    credit: str
    inline: bool = False
    """True when the copy had pasted it into the middle of a sentence."""

    @property
    def line(self) -> int:
        return self.para.line


Item = Para | RawImage | RawTable | Caption


def _assemble(blocks: list[RawBlock]) -> list[Item]:
    """Join soft-break pieces into paragraphs."""
    items: list[Item] = []
    for block in blocks:
        if not isinstance(block, RawParagraph):
            items.append(block)
            continue
        text = "".join(s.text for s in block.spans)
        bold = [s.bold for s in block.spans for _ in s.text]
        where = [(block.line, block.col + i) for i in range(len(text))]
        last = items[-1] if items else None
        if block.soft and isinstance(last, Para):
            last.text += "\n" + text
            last.bold += [False, *bold]
            last.where += [(block.line, block.col), *where]
        else:
            items.append(Para(text, bold, where, block))
    return items
