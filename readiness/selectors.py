"""Reads behind the readiness pages and the authority dashboard's readiness panel. Each runs a
fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from readiness import rules
from readiness.models import Evidence, ItemState, LibraryDocument, ReadinessItem


def evidence_for(**target) -> QuerySet[Evidence]:
    """The files attached to one update, action or library document (`progress_update=...`,
    `action=...` or `library_document=...`), newest first, with who added them."""
    return Evidence.objects.filter(**target).select_related("added_by")


def area_evidence(*, finding) -> list[Evidence]:
    """ "How we know": every file attached to an area's monthly updates and its actions, newest
    document first. One query."""
    return list(
        Evidence.objects.filter(
            Q(progress_update__area_for_improvement=finding)
            | Q(action__area_for_improvement=finding)
        ).select_related("added_by", "progress_update", "action")
    )


@dataclass
class LibraryEntry:
    document: LibraryDocument
    files: list[Evidence]  # newest first: the current file, then the ones it replaced
    state: rules.LibraryState

    @property
    def current(self) -> Evidence | None:
        return self.files[0] if self.files else None


def library(*, authority_id: int, today: datetime.date) -> list[LibraryEntry]:
    """The authority's evidence library, each document with its files and its state on `today`.
    Two queries."""
    documents = list(LibraryDocument.objects.filter(authority_id=authority_id))
    files: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in (
        Evidence.objects.filter(library_document__authority_id=authority_id)
        .select_related("added_by")
        .order_by("library_document_id", "-created_at", "-pk")
    ):
        files[evidence.library_document_id].append(evidence)
    return [
        LibraryEntry(
            document=document,
            files=files[document.pk],
            state=rules.library_state(
                has_file=bool(files[document.pk]),
                due_date=document.due_date,
                review_date=document.review_date,
                today=today,
            ),
        )
        for document in documents
    ]


@dataclass
class Readiness:
    """What the authority dashboard shows of the council's preparation on `today`."""

    library_total: int
    library_attention: list[LibraryEntry]  # missing or stale documents
    open_items: list[ReadinessItem]


def readiness(*, authority_id: int, today: datetime.date) -> Readiness:
    """The library's missing and stale documents and the open checklist items. Three queries."""
    entries = library(authority_id=authority_id, today=today)
    order = list(rules.LibraryState)
    attention = sorted(
        (entry for entry in entries if entry.state.needs_attention),
        key=lambda entry: (order.index(entry.state), entry.document.order, entry.document.pk),
    )
    for entry in attention:
        entry.files = entry.files[:1]  # the dashboard's cache keeps only what it shows
    return Readiness(
        library_total=len(entries),
        library_attention=attention,
        open_items=open_items(authority_id=authority_id),
    )


def open_items(*, authority_id: int) -> list[ReadinessItem]:
    """The checklist items not done yet, soonest due first (those without a date last)."""
    return list(
        ReadinessItem.objects.filter(authority_id=authority_id)
        .exclude(state=ItemState.DONE)
        .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
    )
