"""Turn a list pasted from a report ("What needs to improve?") into one item per point.

Text copied out of a PDF arrives with its bullets as odd glyphs (•, ▪, , –), numbered as "1." or
"(a)", with each point wrapped over several lines, page furniture in between, and since 2025 a
national-framework tag such as "(Outcome 3)" or "(Enabler 1)" at the end. Nothing here imports
Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A bullet glyph, a dash, or a list number/letter, at the start of a line.
_MARKER_RE = re.compile(
    r"""^\s*(?:
        [\u2022\u2023\u2043\u2219\u25aa\u25ab\u25cf\u25e6\u25a0\u25a1\u27a2\u2713\u2714\u00b7*>\uf0b7\uf0a7\uf0d8\uf076\uf0fc]
        |[-\u2013\u2014](?=\s)
        |\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)](?=\s)
        |\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)(?=\s)
    )\s*""",
    re.X | re.I,
)
_TAG_RE = re.compile(
    r"\s*[(\[]\s*((?:national\s+framework\s*:?\s*)?(?:outcome|enabler)s?\s+\d+"
    r"(?:\s*(?:,|and|&)\s*(?:(?:outcome|enabler)s?\s+)?\d+)*)\s*[)\]]\s*[.;]?\s*$",
    re.I,
)
_HEADING_RE = re.compile(
    r"^(what needs to improve|areas? for (priority )?(improvement|action)|recommendations?"
    r"|the local authority (should|needs to)|what the local authority)\b",
    re.I,
)


@dataclass(frozen=True)
class PastedItem:
    text: str
    national_framework_tag: str = ""


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(_HEADING_RE.match(stripped)) or (
        stripped.endswith(("?", ":")) and len(stripped) < 120
    )


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -") and line[:1].islower():
            text = text[:-1] + line  # a word hyphenated across a line break
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def _tagged(text: str) -> PastedItem:
    match = _TAG_RE.search(text)
    if not match:
        return PastedItem(text=text)
    tag = re.sub(r"^national\s+framework\s*:?\s*", "", match.group(1), flags=re.I)
    tag = " ".join(tag.split())
    tag = tag[0].upper() + tag[1:]
    body = text[: match.start()].rstrip()
    if body and body[-1] not in ".!?":
        body += "."
    return PastedItem(text=body, national_framework_tag=tag)


def _unmarked_items(lines: list[str]) -> list[list[str]]:
    # No bullets or numbers: blank lines separate points; without blank lines, a line ending a
    # sentence followed by one starting with a capital starts a new point.
    items: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            if items[-1]:
                items.append([])
            continue
        items[-1].append(stripped)
        following = next((n.strip() for n in lines[index + 1 :] if n.strip()), "")
        ends_sentence = stripped.endswith((".", ";", ")", "!")) or bool(_TAG_RE.search(stripped))
        if ends_sentence and following[:1].isupper():
            items.append([])
    return [item for item in items if item]


def split_pasted_list(text: str) -> list[PastedItem]:
    """One item per bullet or number; wrapped lines joined; headings dropped; a trailing
    "(Outcome 3)"-style tag moved to `national_framework_tag`."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if _MARKER_RE.match(line) or not _is_heading(line)]
    # A bullet alone on its line (common in text copied from a PDF) starts the next point.
    marked = [bool(_MARKER_RE.match(line)) for line in lines]
    if any(marked):
        items: list[list[str]] = []
        for line, is_marked in zip(lines, marked, strict=True):
            if is_marked:
                items.append([_MARKER_RE.sub("", line, count=1)])
            elif line.strip():
                if not items:
                    items.append([])
                items[-1].append(line)
    else:
        items = _unmarked_items(lines)
    results = []
    for item in items:
        joined = _join(item)
        if joined:
            results.append(_tagged(joined))
    return results
