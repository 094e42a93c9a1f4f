"""Writes to inspections data that touch several rows or models. Keyword-only, atomic, validated."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import LocalAuthority, StatisticalNeighbour
from core.concurrency import EditConflict, save_versioned
from inspections.models import (
    PRIORITY_ACTION_EVENT_TYPES,
    Finding,
    FindingKind,
    Framework,
    Inspection,
    Judgement,
)

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


# DfE's statistical neighbours, in data-to-insight's lookup (MIT licence), the same file the
# report importer matches names with (inspections.importers.AUTHORITY_LOOKUP_CSV).
NEIGHBOURS_CSV = Path(__file__).resolve().parent / "data" / "authority_lookup.csv"
NEIGHBOUR_COLUMNS = ("la_code", "stat_neighbours", "local_authority_ons_name")


@dataclass(frozen=True)
class NeighboursResult:
    authorities: int  # authorities whose neighbours the file gives
    links: int  # neighbour links now held
    changed: int  # authorities whose list changed
    predecessors: tuple[str, ...]  # rows of authorities that no longer exist, left out


def neighbours_load(*, path: Path = NEIGHBOURS_CSV) -> NeighboursResult:
    """Replaces every authority's statistical neighbours with the file's (`stat_neighbours`:
    DfE LA codes, closest first), matched on the DfE LA code. Rows for predecessor authorities
    that no longer have children's services duties (Cumbria, Northamptonshire and Poole, in the
    lookup beside their successors) are left out and named. Idempotent. A neighbour that is not
    a current authority, an authority listed as its own neighbour or twice, or a missing column
    raises ValidationError and changes nothing. The authorities must be loaded first."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in NEIGHBOUR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(f"{path.name} has no {', '.join(missing)} column")
        rows = list(reader)
    by_code = {a.la_code: a for a in LocalAuthority.objects.all()}
    if not by_code:
        raise ValidationError("Load the authorities first (manage.py load_authorities)")
    wanted: dict[int, list[int]] = {}
    predecessors = []
    for line, row in enumerate(rows, start=2):
        code = (row.get("la_code") or "").strip()
        name = (row.get("local_authority_ons_name") or "").strip() or code
        authority = by_code.get(code)
        if authority is None:
            predecessors.append(f"{name} ({code})")
            continue
        codes = [c.strip() for c in (row.get("stat_neighbours") or "").split(",") if c.strip()]
        neighbours = []
        for neighbour_code in codes:
            neighbour = by_code.get(neighbour_code)
            if neighbour is None:
                raise ValidationError(
                    f"{path.name} line {line}: {name}'s neighbour {neighbour_code} is not the "
                    "DfE LA code of a current authority"
                )
            if neighbour.pk == authority.pk:
                raise ValidationError(
                    f"{path.name} line {line}: {name} is listed as its own neighbour"
                )
            if neighbour.pk in neighbours:
                raise ValidationError(
                    f"{path.name} line {line}: {name} lists {neighbour.name} twice"
                )
            neighbours.append(neighbour.pk)
        if authority.pk in wanted:
            raise ValidationError(f"{path.name} line {line}: {name} has a second row")
        wanted[authority.pk] = neighbours

    held: dict[int, list[int]] = {}
    for authority_id, neighbour_id in StatisticalNeighbour.objects.order_by(
        "authority_id", "rank"
    ).values_list("authority_id", "neighbour_id"):
        held.setdefault(authority_id, []).append(neighbour_id)
    changed = [pk for pk, neighbours in wanted.items() if held.get(pk, []) != neighbours]
    with transaction.atomic():
        StatisticalNeighbour.objects.filter(authority_id__in=changed).delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(authority_id=pk, neighbour_id=neighbour_id, rank=rank)
            for pk in changed
            for rank, neighbour_id in enumerate(wanted[pk], start=1)
        )
    return NeighboursResult(
        authorities=len(wanted),
        links=StatisticalNeighbour.objects.count(),
        changed=len(changed),
        predecessors=tuple(predecessors),
    )


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


# --- Recording inspections, judgements and findings ---------------------------------------------


def inspection_create(*, authority: LocalAuthority, user, **fields) -> Inspection:
    """A new inspection or visit under the framework in force on its start date."""
    inspection = Inspection(authority=authority, **fields)
    if inspection.start_date and not inspection.framework_id:
        inspection.framework = Framework.in_force_on(inspection.start_date)
    inspection._history_user = user
    with transaction.atomic():
        inspection.full_clean()
        inspection.save()
    return inspection


def inspection_update(*, inspection: Inspection, expected_version: int, user) -> Inspection:
    """Saves the form's changes unless someone saved first (EditConflict). A start date moved into
    another framework is refused while the inspection has judgements of the old one."""
    framework = Framework.in_force_on(inspection.start_date)
    if not inspection.is_graded and inspection.judgements.exists():
        raise ValidationError(
            {
                "event_type": f"A {inspection.get_event_type_display().lower()} has no "
                "judgements: remove this inspection's judgements first, or keep its type"
            }
        )
    if (
        inspection.event_type not in PRIORITY_ACTION_EVENT_TYPES
        and inspection.findings.filter(kind=FindingKind.PRIORITY_ACTION).exists()
    ):
        raise ValidationError(
            {
                "event_type": "Only visits set areas for priority action: change this "
                "inspection's areas for priority action first, or keep its type"
            }
        )
    if framework.pk != inspection.framework_id:
        if inspection.judgements.exists():
            raise ValidationError(
                {
                    "start_date": f"That start date puts the inspection under {framework.code}: "
                    "remove its judgements first, or check the date"
                }
            )
        inspection.framework = framework
    return save_versioned(inspection, expected_version=expected_version, user=user)


def report_publication_record(
    *, inspection: Inspection, published_on, expected_version: int, user
) -> Inspection:
    """Records when the authority published the inspection report (None: not published yet),
    which meets its 30-working-day deadline. Refuses a stale edit (EditConflict); in the
    inspection's history with `user`."""
    inspection.report_published_by_authority_on = published_on
    return save_versioned(
        inspection,
        expected_version=expected_version,
        user=user,
        update_fields=["report_published_by_authority_on"],
    )


def judgements_set(
    *,
    inspection: Inspection,
    grades: dict,
    user,
    expected_version: int,
    texts: dict | None = None,
) -> tuple[int, int, int]:
    """Makes the inspection's judgements exactly `grades` ({JudgementArea: grade or None}) and,
    when `texts` is given ({JudgementArea: {"strengths": ..., "to_improve": ...}}), what the
    report says about each area; returns (created, changed, removed). Each change is in the
    history with `user`.

    The judgements are edited as part of their inspection: EditConflict when the inspection moved
    on from `expected_version` since the form was opened; a change moves its version on."""
    texts = texts or {}
    created = changed = removed = 0
    with transaction.atomic():
        current = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        existing = {j.area_id: j for j in inspection.judgements.select_for_update()}
        for area, grade in grades.items():
            judgement = existing.get(area.pk)
            if grade is None:
                if judgement is not None:
                    judgement._history_user = user
                    judgement.delete()
                    removed += 1
                continue
            wanted = {"grade": grade, **texts.get(area, {})}
            if judgement is None:
                judgement = Judgement(inspection=inspection, area=area, **wanted)
                created += 1
            elif all(getattr(judgement, name) == value for name, value in wanted.items()):
                continue
            else:
                for name, value in wanted.items():
                    setattr(judgement, name, value)
                changed += 1
            judgement._history_user = user
            judgement.full_clean()
            judgement.save()
        if created or changed or removed:
            # A plain UPDATE: the judgements' own history records what changed.
            Inspection.objects.filter(pk=inspection.pk).update(
                version=F("version") + 1, updated_at=timezone.now()
            )
    return created, changed, removed


def _next_order(inspection: Inspection, kind: str) -> int:
    last = (
        Finding.objects.filter(inspection=inspection, kind=kind)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def finding_create(*, finding: Finding, user) -> Finding:
    """Adds a finding at the end of its kind's list; the title defaults to the text's first words."""
    with transaction.atomic():
        if not finding.title:
            finding.title = title_from_text(finding.text)
        finding.order = _next_order(finding.inspection, finding.kind)
        finding._history_user = user
        finding.full_clean()
        finding.save()
    return finding


def finding_update(*, finding: Finding, expected_version: int, user) -> Finding:
    if not finding.title:
        finding.title = title_from_text(finding.text)
    return save_versioned(finding, expected_version=expected_version, user=user)


def findings_add_pasted(*, inspection: Inspection, kind: str, items, user) -> list[Finding]:
    """One finding per pasted item, in the pasted order, after any the inspection already has."""
    created = []
    with transaction.atomic():
        order = _next_order(inspection, kind)
        for offset, item in enumerate(items):
            finding = Finding(
                inspection=inspection,
                kind=kind,
                text=item.text,
                title=title_from_text(item.text),
                national_framework_tag=item.national_framework_tag,
                order=order + offset,
            )
            finding._history_user = user
            finding.full_clean()
            finding.save()
            created.append(finding)
    return created


def finding_removal_blockers(finding: Finding) -> list[str]:
    """Why the finding cannot be removed, in words; empty when it can. Work recorded against it
    (actions, monthly updates) and a later finding linked to it are kept: removing the finding
    would delete the first and silently unlink the second."""
    reasons = []
    # The plan's records point at the finding (improvement_plans, the floor above): counted
    # through the relations they declare.
    actions = finding.actions.count()
    updates = finding.progress_updates.count()
    if actions or updates:
        work = [
            f"{n} {word}{'' if n == 1 else 's'}"
            for n, word in ((actions, "action"), (updates, "monthly update"))
            if n
        ]
        reasons.append(f"it has {' and '.join(work)}, and the record of that work is kept")
    for successor in finding.successors.select_related("inspection").order_by("pk"):
        reasons.append(
            f"“{successor.title}” ({successor.inspection.get_event_type_display().lower()}, "
            f"{successor.inspection.start_date.year}) is linked to it as the same weakness found "
            "earlier: change that link first"
        )
    return reasons


def finding_delete(*, finding: Finding, expected_version: int, user) -> None:
    """Removes a finding entered by mistake, recording who removed it in the history. Refuses
    (EditConflict) if someone changed it since it was shown, and (ValidationError, saying why)
    while work is recorded against it or a later finding is linked to it."""
    with transaction.atomic():
        current = Finding.objects.select_for_update().get(pk=finding.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        if reasons := finding_removal_blockers(current):
            raise ValidationError(
                f"This {current.get_kind_display().lower()} cannot be removed: "
                + "; ".join(reasons)
                + "."
            )
        current._history_user = user
        current.delete()


def finding_move(*, finding: Finding, direction: str, user) -> bool:
    """Swaps the finding with its neighbour in its list ("up" or "down"). Renumbers the list
    first so orders are always 0..n-1. Returns False when it is already at that end."""
    with transaction.atomic():
        siblings = list(
            Finding.objects.select_for_update()
            .filter(inspection_id=finding.inspection_id, kind=finding.kind)
            .order_by("order", "pk")
        )
        index = next(i for i, f in enumerate(siblings) if f.pk == finding.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings):
            if sibling.order != order:
                sibling.order = order
                sibling._history_user = user
                sibling.save(update_fields=["order", "updated_at"])
    return True
