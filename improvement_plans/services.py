"""Writes to plans, actions and monthly updates. Keyword-only, atomic, validated before saving.

Edits of rows people open in forms go through `core.concurrency.save_versioned`, so a stale form
raises `EditConflict` instead of overwriting someone else's work. Every save records its user in
the history (who changed what, and when).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import require_four_eyes
from core.concurrency import EditConflict, save_versioned
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    UpdateStatus,
)
from inspections.models import Finding, Inspection

# The officer may change an update only while it is theirs to work on.
OFFICER_EDITABLE = frozenset({UpdateStatus.DRAFT, UpdateStatus.RETURNED})
NARRATIVE_FIELDS = ("rag", "what_was_done", "impact", "evidence", "next_steps")

__all__ = ["EditConflict"]


def _refuse_unless_editable(update: ProgressUpdate) -> None:
    if update.status not in OFFICER_EDITABLE:
        raise ValidationError(
            f"This update has been {update.get_status_display().lower()}, so it cannot be "
            "changed. A manager can return it to you if it needs changing."
        )


def _check_submission(update: ProgressUpdate) -> None:
    if not update.what_was_done.strip():
        raise ValidationError({"what_was_done": "Enter what was done this month"})


def progress_update_create(
    *, area_for_improvement: Finding, month: datetime.date, user, submit: bool = False, **fields
) -> ProgressUpdate:
    """Starts the month's update on an area for improvement, as a draft or submitted at once.
    A second update for the same area and month is refused (one per area per month)."""
    update = ProgressUpdate(
        area_for_improvement=area_for_improvement,
        month=month,
        author=user,
        status=UpdateStatus.DRAFT,
        **{name: fields[name] for name in NARRATIVE_FIELDS if name in fields},
    )
    if submit:
        _check_submission(update)
        update.status = UpdateStatus.SUBMITTED
        update.submitted_at = timezone.now()
        update.submitted_by = user
    update._history_user = user
    update.full_clean()
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError as error:
        # Two people started the same month's update at the same moment: the constraint decides.
        raise ValidationError(
            {"month": "There is already an update for this area for that month"}
        ) from error
    return update


def progress_update_save(
    *, update: ProgressUpdate, expected_version: int, user, submit: bool = False, **fields
) -> ProgressUpdate:
    """Saves the officer's changes to a draft or returned update, and submits it for review when
    `submit` is true. Raises EditConflict when someone saved it since `expected_version`."""
    with transaction.atomic():
        stored = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
        if stored.version != expected_version:
            raise EditConflict(stored)
        _refuse_unless_editable(stored)
        for name in NARRATIVE_FIELDS:
            if name in fields:
                setattr(update, name, fields[name])
        update.status = stored.status
        if submit:
            _check_submission(update)
            update.status = UpdateStatus.SUBMITTED
            update.submitted_at = timezone.now()
            update.submitted_by = user
        return save_versioned(update, expected_version=expected_version, user=user)


def progress_update_submit(
    *, update: ProgressUpdate, user, expected_version: int
) -> ProgressUpdate:
    """Submits a draft or returned update for a manager's review, as it stands."""
    return progress_update_save(
        update=update, expected_version=expected_version, user=user, submit=True
    )


def _review(*, update: ProgressUpdate, user, expected_version: int, status: str, comment: str):
    with transaction.atomic():
        stored = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
        if stored.version != expected_version:
            raise EditConflict(stored)
        if stored.status != UpdateStatus.SUBMITTED:
            raise ValidationError(
                f"This update is {stored.get_status_display().lower()}, not waiting for review"
            )
        # Four eyes, read from the locked row: its author and submitter may not review it.
        require_four_eyes(user, stored)
        stored.status = status
        stored.reviewed_by = user
        stored.reviewed_at = timezone.now()
        stored.review_comment = comment
        return save_versioned(stored, expected_version=expected_version, user=user)


def progress_update_approve(
    *, update: ProgressUpdate, user, expected_version: int, comment: str = ""
) -> ProgressUpdate:
    """Approves a submitted update, recording who approved it and when. Its author and the
    person who submitted it may not (four eyes): PermissionDenied, logged."""
    return _review(
        update=update,
        user=user,
        expected_version=expected_version,
        status=UpdateStatus.APPROVED,
        comment=comment.strip(),
    )


def progress_update_return(
    *, update: ProgressUpdate, user, expected_version: int, comment: str
) -> ProgressUpdate:
    """Returns a submitted update to its officer with a comment saying what to change. Like
    approving, a review: not by its author or submitter (four eyes)."""
    if not comment.strip():
        raise ValidationError(
            {"comment": "Enter a comment saying what the officer needs to change"}
        )
    return _review(
        update=update,
        user=user,
        expected_version=expected_version,
        status=UpdateStatus.RETURNED,
        comment=comment.strip(),
    )


# ----- Plans and actions -----------------------------------------------------------------------


def plan_create(*, inspection: Inspection, user) -> ImprovementPlan:
    """Starts the improvement plan for an inspection (one per inspection); returns the existing
    one if someone started it first."""
    existing = ImprovementPlan.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    plan = ImprovementPlan(inspection=inspection)
    plan._history_user = user
    plan.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        return ImprovementPlan.objects.get(inspection=inspection)
    return plan


def plan_update(*, plan: ImprovementPlan, expected_version: int, user, **fields) -> ImprovementPlan:
    """Records the plan's submission to Ofsted (and its acceptance, and notes)."""
    for name in ("submitted_on", "accepted_on", "notes"):
        if name in fields:
            setattr(plan, name, fields[name])
    return save_versioned(plan, expected_version=expected_version, user=user)


def _set_completion(action: Action, today: datetime.date | None = None) -> None:
    """A complete action carries the day it was completed (today unless given), so that
    "complete by a day" is a fact (improvement_plans.rules.action_complete_by)."""
    today = today or timezone.localdate()
    if action.status == ActionStatus.COMPLETE:
        action.completed_on = action.completed_on or today
        if action.completed_on > today:
            raise ValidationError(
                {"completed_on": "The date completed must be today or in the past"}
            )
        started = action.area_for_improvement.inspection.start_date
        if action.completed_on < started:
            raise ValidationError(
                {
                    "completed_on": "The date completed must be on or after the inspection "
                    f"started ({started:%-d %B %Y})"
                }
            )
    else:
        action.completed_on = None


def action_create(
    *, area_for_improvement: Finding, user, description: str, owner: str, due_date, **fields
) -> Action:
    """Adds an action to an area for improvement's plan, after its existing actions."""
    with transaction.atomic():
        last = (
            Action.objects.select_for_update()
            .filter(area_for_improvement=area_for_improvement)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        action = Action(
            area_for_improvement=area_for_improvement,
            description=description,
            owner=owner,
            due_date=due_date,
            status=fields.get("status", ActionStatus.NOT_STARTED),
            completed_on=fields.get("completed_on"),
            order=(last or 0) + 1,
        )
        _set_completion(action)
        action._history_user = user
        action.full_clean()
        action.save()
    return action


def action_update(*, action: Action, expected_version: int, user, **fields) -> Action:
    """Changes an action's description, owner, due date or status."""
    for name in ("description", "owner", "due_date", "status", "completed_on"):
        if name in fields:
            setattr(action, name, fields[name])
    _set_completion(action)
    return save_versioned(action, expected_version=expected_version, user=user)


def area_update(*, finding: Finding, expected_version: int, user, **fields) -> Finding:
    """Changes who leads an area for improvement (and its national framework tag)."""
    for name in ("lead", "national_framework_tag"):
        if name in fields:
            setattr(finding, name, fields[name])
    return save_versioned(finding, expected_version=expected_version, user=user)
