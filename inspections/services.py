"""Writes to inspections data that touch several rows or models. Keyword-only, atomic, validated."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from inspections.models import LocalAuthority

AUTHORITIES_CSV = Path(__file__).resolve().parent / "data" / "local_authorities.csv"
AUTHORITY_COLUMNS = ("ofsted_urn", "la_code", "gss_code", "name", "region", "la_type")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def authorities_load(*, path: Path = AUTHORITIES_CSV) -> LoadResult:
    """Creates or updates every authority in the CSV, matched on Ofsted URN. Idempotent: a second
    run changes nothing. A malformed file raises ValidationError and changes nothing."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in AUTHORITY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(f"{path.name} has no {', '.join(missing)} column")
        rows = list(reader)

    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {a.ofsted_urn: a for a in LocalAuthority.objects.all()}
        for line, row in enumerate(rows, start=2):
            values = {c: (row.get(c) or "").strip() for c in AUTHORITY_COLUMNS}
            if not all(values.values()):
                blank = [c for c, v in values.items() if not v]
                raise ValidationError(f"{path.name} line {line}: {', '.join(blank)} is blank")
            authority = existing.get(values["ofsted_urn"])
            if authority is None:
                authority = LocalAuthority(**values)
                created += 1
            elif all(getattr(authority, c) == v for c, v in values.items()):
                unchanged += 1
                continue
            else:
                for column, value in values.items():
                    setattr(authority, column, value)
                updated += 1
            try:
                authority.full_clean()
            except ValidationError as error:
                raise ValidationError(f"{path.name} line {line}: {error.messages[0]}") from error
            authority.save()
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


TITLE_LENGTH = 90


def title_from_text(text: str) -> str:
    """A short title for a finding: its first clause, cut at a word boundary.

    "The quality of analysis in assessments, including the impact of ..." becomes
    "The quality of analysis in assessments".
    """
    flat = " ".join(text.split())
    # A sentence break is always a good place to stop; a clause break only after a few words.
    for separator, shortest in (
        (". ", 12),
        ("; ", 12),
        (", including ", 30),
        (", so that ", 30),
        (" so that ", 30),
    ):
        head = flat.split(separator, 1)[0]
        if shortest <= len(head) <= TITLE_LENGTH:
            return head.rstrip(".,;:")
    if len(flat) <= TITLE_LENGTH:
        return flat.rstrip(".,;:")
    cut = flat[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(".,;:") + "…"
