"""The plain-text format of report sections: paragraphs separated by a blank line, bullet points
on lines that start with "- ", "* " or "• ". Nothing else is markup: `<script>`, `{{ }}` and
`=cmd|` are text, and every renderer escapes it (HTML by autoescaping, Word and PDF as literal
text runs)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters XML 1.0 (so Word) cannot hold, and that no person means to type: C0 controls except
# tab and newline, lone surrogates, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BULLET = re.compile(r"^\s*[-*•]\s+")


def clean(text: str) -> str:
    """Normalises line endings and drops characters no document format can hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text).strip()


@dataclass
class Block:
    """A paragraph (`items` empty) or a bullet list. `number` is the paragraph's number in the
    whole report, set when the document is laid out."""

    text: str = ""
    items: list[str] = field(default_factory=list)
    number: int | None = None

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def parse(text: str) -> list[Block]:
    """Splits text into paragraphs and bullet lists. Lines of a paragraph are joined with a
    space; a bullet line's continuation lines (not starting with a bullet) join that bullet."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", clean(text)):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if _BULLET.match(line):
                if paragraph:
                    blocks.append(Block(text=" ".join(paragraph)))
                    paragraph = []
                items.append(_BULLET.sub("", line))
            elif items:
                items[-1] = f"{items[-1]} {line}"
            else:
                paragraph.append(line)
        if paragraph:
            blocks.append(Block(text=" ".join(paragraph)))
        if items:
            blocks.append(Block(items=items))
    return blocks


def bullets(items: list[str]) -> str:
    """The plain-text form of a bullet list."""
    return "\n".join(f"- {item}" for item in items)
