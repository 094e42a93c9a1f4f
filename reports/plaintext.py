"""The plain-text format of report sections: paragraphs separated by a blank line, bullet points
on lines that start with "- ", "* " or "• ", a numbered list on lines that start with a number
and a full stop ("1. ", "2. "; the numbers are the list's, whatever was typed). Nothing else is
markup: `<script>`, `{{ }}` and
`=cmd|` are text, and every renderer escapes it (HTML by autoescaping, Word and PDF as literal
text runs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters XML 1.0 (so Word) cannot hold, and that no person means to type: C0 controls except
# tab and newline, lone surrogates, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")


def clean(text: str) -> str:
    """Normalises line endings and drops characters no document format can hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text).strip()


@dataclass
class Block:
    """A paragraph (`items` empty) or a list, bulleted or (`ordered`) numbered. `number` is the
    paragraph's number in the whole report, set when the document is laid out."""

    text: str = ""
    items: list[str] = field(default_factory=list)
    number: int | None = None
    ordered: bool = False

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def parse(text: str) -> list[Block]:
    """Splits text into paragraphs and lists. Lines of a paragraph are joined with a space; a
    list item's continuation lines (not starting with a bullet or number) join that item."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", clean(text)):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        current: Block | None = None  # the list being read
        for line in lines:
            marker = _BULLET.match(line) or _NUMBERED.match(line)
            if marker:
                if paragraph:
                    blocks.append(Block(text=" ".join(paragraph)))
                    paragraph = []
                ordered = not _BULLET.match(line)
                if current is None or current.ordered != ordered:
                    current = Block(ordered=ordered)
                    blocks.append(current)
                current.items.append(line[marker.end() :])
            elif current is not None:
                current.items[-1] = f"{current.items[-1]} {line}"
            else:
                paragraph.append(line)
        if paragraph:
            blocks.append(Block(text=" ".join(paragraph)))
    return blocks


def bullets(items: list[str]) -> str:
    """The plain-text form of a bullet list."""
    return "\n".join(f"- {item}" for item in items)


def numbered(items: list[str]) -> str:
    """The plain-text form of a numbered list."""
    return "\n".join(f"{index}. {item}" for index, item in enumerate(items, start=1))
