"""A small world for the hostile-input tests: every URL pattern of the project, and one object of
each kind for two authorities (ours and another), so every URL can be filled in by its kwarg names
(authority_pk, inspection_pk, finding_pk, ...) and other authorities' ids are at hand."""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership, Role
from improvement_plans.models import UpdateStatus
from inspections.models import EventType
from readiness import services as readiness_services
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LibraryDocumentFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    ReadinessItemFactory,
    UserFactory,
)
from tests.readiness import files

# Namespaces not of this service: Django's admin has its own, separately tested, forms.
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]


def _kwarg_names(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def routes() -> list[Route]:
    """Every named URL pattern of the project (bar SKIPPED_NAMESPACES), with its kwarg names."""
    found: list[Route] = []

    def walk(resolver: URLResolver, namespace: str, outer: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, inner, outer + _kwarg_names(pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append(Route(namespace + pattern.name, outer + _kwarg_names(pattern)))

    walk(get_resolver(), "", ())
    return sorted(set(found), key=lambda route: route.name)


@dataclass
class Side:
    """One authority's objects, by the URL kwarg that names each."""

    pks: dict[str, int] = field(default_factory=dict)


def _build_side(authority, officer) -> Side:
    inspection = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    JudgementFactory(inspection=inspection)
    finding = FindingFactory(inspection=inspection, lead=officer)
    plan = ImprovementPlanFactory(inspection=inspection)
    action = ActionFactory(area_for_improvement=finding)
    update = ProgressUpdateFactory(
        area_for_improvement=finding,
        author=officer,
        month=datetime.date(2024, 1, 1),
        status=UpdateStatus.SUBMITTED,
    )
    membership = Membership.objects.get(user=officer, authority=authority)
    meeting = InspectionFactory(
        authority=authority,
        event_type=EventType.ANNUAL_ENGAGEMENT,
        start_date=datetime.date(2024, 5, 14),
        end_date=datetime.date(2024, 5, 14),
    )
    document = LibraryDocumentFactory(authority=authority)
    evidence = readiness_services.evidence_add(
        target=update,
        uploaded_file=files.upload("audit.png", files.image("PNG")),
        title="Audit of supervision",
        document_date=datetime.date(2024, 2, 1),
        user=officer,
    )
    side = Side(
        {
            "authority_pk": authority.pk,
            "inspection_pk": inspection.pk,
            "finding_pk": finding.pk,
            "plan_pk": plan.pk,
            "action_pk": action.pk,
            "update_pk": update.pk,
            "membership_pk": membership.pk,
            "meeting_pk": meeting.pk,
            "library_document_pk": document.pk,
            "readiness_item_pk": ReadinessItemFactory(authority=authority).pk,
            "evidence_pk": evidence.pk,
            # An emailed link's parts (password reset, invitation): a link that does not work,
            # which shows no form; the forms behind working links are posted to in
            # tests/accounts (test_password_reset, test_invitations).
            "uidb64": "MQ",
            "token": "not-a-valid-token",
        }
    )
    report_factory = _optional("tests.reports.factories", "CommitteeReportFactory")
    if report_factory is not None:
        side.pks["report_pk"] = report_factory(authority=authority, created_by=officer).pk
    return side


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


@dataclass
class World:
    ours: Side
    theirs: Side

    def url(self, route: Route) -> str:
        missing = [name for name in route.kwargs if name not in self.ours.pks]
        if missing:
            raise LookupError(
                f"{route.name} needs {missing}: add a builder for it in tests/security/world.py"
            )
        return reverse(route.name, kwargs={name: self.ours.pks[name] for name in route.kwargs})

    def other_authority_ids(self) -> list[str]:
        return [str(pk) for pk in self.theirs.pks.values()]


def build_world(authority, other_authority, officer) -> World:
    other_officer = UserFactory(username="their-officer")
    MembershipFactory(user=other_officer, authority=other_authority, role=Role.OFFICER)
    return World(
        ours=_build_side(authority, officer), theirs=_build_side(other_authority, other_officer)
    )
