"""Writes: evidence files, the evidence library, the readiness checklist and engagement meeting
records. Keyword-only, atomic, validated before saving; edits of rows people open in forms go
through core.concurrency.save_versioned (EditConflict instead of a lost update)."""

from __future__ import annotations

import csv
import datetime
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max, Sum

from accounts.models import LocalAuthority, authority_id_of
from core.concurrency import EditConflict, save_versioned
from improvement_plans.models import Action, ProgressUpdate
from inspections.models import EventType, Inspection
from readiness import signatures
from readiness.models import EngagementMeeting, Evidence, LibraryDocument, ReadinessItem

__all__ = ["EditConflict"]

DEFAULT_LIBRARY = Path(__file__).resolve().parent / "data" / "default_library.csv"


def evidence_storage():
    """Where evidence files are kept: the "evidence" storage of settings.STORAGES (the local
    disk outside the web root by default; an object store by settings, README "Evidence files")."""
    return storages["evidence"]


def _megabytes(size: int) -> str:
    """20 MB, 1.5 MB, 100 KB: sizes as people read them."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):,g} MB"
    return f"{max(1, round(size / 1024)):,} KB"


def check_upload(uploaded_file) -> signatures.Kind:
    """The kind of an uploaded file, from its content (readiness.signatures), within the size
    limit; ValidationError (on "file") saying why not."""
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {"file": f"The selected file must be smaller than {_megabytes(limit)}"}, code="size"
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": "The selected file is empty"}, code="empty")
    uploaded_file.seek(0)
    head = uploaded_file.read(signatures.HEAD_BYTES)
    uploaded_file.seek(0)
    kind = signatures.identify(uploaded_file.name, head, lambda: zipfile.ZipFile(uploaded_file))
    uploaded_file.seek(0)
    return kind


def evidence_used(authority_id: int) -> int:
    """Bytes of evidence the authority keeps."""
    return (
        Evidence.objects.filter(authority_id=authority_id).aggregate(total=Sum("size"))["total"]
        or 0
    )


def evidence_add(
    *,
    target: ProgressUpdate | Action | LibraryDocument,
    uploaded_file,
    title: str,
    document_date: datetime.date,
    user,
) -> Evidence:
    """Attaches an uploaded file to an update, an action or a library document, once its content
    is what its name says and an accepted kind, it is within the size limit, and the authority's
    evidence stays within its quota. The file is stored under a new random name; nothing is
    stored when anything is refused."""
    kind = check_upload(uploaded_file)
    authority_id = authority_id_of(target)
    evidence = Evidence(
        authority_id=authority_id,
        title=title.strip(),
        document_date=document_date,
        file_name=Path(uploaded_file.name).name[:255] or "file",
        kind=kind.code,
        size=uploaded_file.size,
        added_by=user,
        stored_name=f"{uuid.uuid4().hex}{kind.extensions[0]}",
        **{
            ProgressUpdate: {"progress_update": target},
            Action: {"action": target},
            LibraryDocument: {"library_document": target},
        }[type(target)],
    )
    evidence.full_clean(exclude=["stored_name"])
    storage = evidence_storage()
    with transaction.atomic():
        # The authority's row is locked so two uploads at once cannot both fit the last space.
        LocalAuthority.objects.select_for_update().filter(pk=authority_id).exists()
        quota = settings.EVIDENCE_AUTHORITY_QUOTA_BYTES
        used = evidence_used(authority_id)
        if used + evidence.size > quota:
            raise ValidationError(
                {
                    "file": f"Your council’s evidence files have reached their limit of "
                    f"{_megabytes(quota)} ({_megabytes(used)} used). Ask an administrator to "
                    "raise the limit"
                },
                code="quota",
            )
        saved_as = storage.save(evidence.stored_name, uploaded_file)
        try:
            evidence.stored_name = saved_as
            evidence._history_user = user
            evidence.save()
        except Exception:
            storage.delete(saved_as)
            raise
    return evidence


# ----- The evidence library ---------------------------------------------------------------------


def default_library() -> list[dict[str, str]]:
    """The documented default list (readiness/data/default_library.csv): title, description,
    owner."""
    with DEFAULT_LIBRARY.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def library_start_from_default(*, authority: LocalAuthority, user) -> int:
    """Adds to the authority's library each document of the default list it does not have yet
    (by title). Returns how many were added."""
    with transaction.atomic():
        have = set(
            LibraryDocument.objects.filter(authority=authority).values_list("title", flat=True)
        )
        order = (
            LibraryDocument.objects.filter(authority=authority).aggregate(top=Max("order"))["top"]
            or 0
        )
        added = 0
        for row in default_library():
            if row["title"] in have:
                continue
            order += 1
            document = LibraryDocument(
                authority=authority,
                title=row["title"],
                description=row["description"],
                owner=row["owner"],
                order=order,
            )
            document.full_clean()
            document._history_user = user
            document.save()
            added += 1
    return added


def library_document_create(*, authority: LocalAuthority, user, **fields) -> LibraryDocument:
    with transaction.atomic():
        top = (
            LibraryDocument.objects.filter(authority=authority).aggregate(top=Max("order"))["top"]
            or 0
        )
        document = LibraryDocument(authority=authority, order=top + 1, **fields)
        document.full_clean()
        document._history_user = user
        document.save()
    return document


def library_document_update(*, document: LibraryDocument, expected_version: int, user):
    return save_versioned(document, expected_version=expected_version, user=user)


# ----- The readiness checklist and engagement meetings -----------------------------------------


def readiness_item_create(*, authority: LocalAuthority, user, **fields) -> ReadinessItem:
    item = ReadinessItem(authority=authority, **fields)
    item.full_clean()
    item._history_user = user
    item.save()
    return item


def readiness_item_update(*, item: ReadinessItem, expected_version: int, user) -> ReadinessItem:
    return save_versioned(item, expected_version=expected_version, user=user)


def engagement_meeting_record(meeting: Inspection) -> EngagementMeeting:
    """The council's record of an annual engagement meeting: the stored one, or a new unsaved one
    (version 1) for the first edit."""
    if meeting.event_type != EventType.ANNUAL_ENGAGEMENT:
        raise ValueError("not an annual engagement meeting")
    try:
        return meeting.engagement_record
    except EngagementMeeting.DoesNotExist:
        return EngagementMeeting(inspection=meeting)


def engagement_meeting_save(
    *, record: EngagementMeeting, expected_version: int, user
) -> EngagementMeeting:
    """Saves the record. A meeting without one has an empty record at version 1: the first
    save stores it at version 2, so someone who opened the empty record before it was first
    saved is shown that save (EditConflict) instead of overwriting it."""
    if record.pk is None:
        with transaction.atomic():
            existing = (
                EngagementMeeting.objects.select_for_update()
                .filter(inspection=record.inspection)
                .first()
            )
            if existing is not None:
                raise EditConflict(existing)
            record.version = 2
            record.full_clean()
            record._history_user = user
            record.save()
        return record
    return save_versioned(record, expected_version=expected_version, user=user)
