"""The documents the code leans on stay true to it: every citation of the domain brief names a
section the brief has, and every environment variable the settings read is in the README."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "docs" / "domain.md"
SKIP = {".venv", ".git", "node_modules", "static", "staticfiles", "media", "__pycache__"}
# Where a citation is a promise that a section exists. (Markdown may link the brief as a whole.)
CODE_SUFFIXES = {".py", ".html", ".txt", ".sh", ".toml", ".cfg"}

# `docs/domain.md, "Section"` (or “Section”), the quoted part possibly on the next line of a
# docstring or a `#` comment.
CITATION = re.compile(
    r"""(?P<path>[\w./-]*domain\.md)(?P<rest>,\s*(?:#\s*)?["“](?P<section>[^"”]+)["”])?"""
)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def _files(suffixes: set[str]) -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if path.is_file() and path.suffix in suffixes and not parts & SKIP:
            found.append(path)
    return found


def _citations() -> list[tuple[str, str, str | None]]:
    """(where, cited path, cited section or None) for every mention of domain.md in code."""
    citations = []
    for path in _files(CODE_SUFFIXES):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        for match in CITATION.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            section = match["section"]
            if section is not None:
                section = re.sub(r"\s*\n\s*(?:#\s*)?", " ", section).strip()
            citations.append((f"{path.relative_to(ROOT)}:{line}", match["path"], section))
    return citations


def _headings() -> set[str]:
    return set(HEADING.findall(BRIEF.read_text(encoding="utf-8")))


def test_the_domain_brief_is_in_the_repository():
    assert BRIEF.is_file()
    headings = _headings()
    for section in (
        "Glossary",
        "Judgement area or area for improvement",
        "The people and their jobs",
        "The inspection system",
        "Judgements and the four-point scale",
        "Areas for improvement and priority actions",
        "Deadlines",
        "Next inspection",
        "The monthly cycle",
        "Approval",
        "The committee report",
        "Published and internal data",
        "As at a day",
    ):
        assert section in headings, section


def test_every_citation_of_the_domain_brief_names_a_section_it_has():
    citations = _citations()
    assert len(citations) >= 8, citations  # the finder finds what is there
    headings = _headings()
    wrong = [
        f"{where}: {path}, {section!r}"
        for where, path, section in citations
        if path != "docs/domain.md" or section not in headings
    ]
    assert wrong == [], f'cite as docs/domain.md, "Section", with one of {sorted(headings)}'


def test_every_environment_variable_the_settings_read_is_in_the_readme():
    settings = (ROOT / "ilacs" / "settings.py").read_text(encoding="utf-8")
    read = set(
        re.findall(
            r"""(?:os\.environ\.get|os\.environ\[|env_\w+)\(?\s*["']([A-Z][A-Z0-9_]+)["']""",
            settings,
        )
    )
    read.add("DATABASE_URL")  # read by dj_database_url.config()
    assert {"DEBUG", "SECRET_KEY", "SITE_URL", "EMAIL_BACKEND"} <= read  # the finder works
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings_section = readme[readme.index("## Settings") : readme.index("## Where things live")]
    assert sorted(name for name in read if f"`{name}`" not in settings_section) == []
