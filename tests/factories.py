"""factory-boy factories for every model. Reference data (frameworks, judgement areas) comes from
the migrations, so factories look it up rather than invent it."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import LocalAuthority, Membership, Role
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, Rag, UpdateStatus
from inspections.models import (
    EventType,
    Finding,
    FindingKind,
    Framework,
    Inspection,
    Judgement,
    JudgementArea,
)
from readiness.models import LibraryDocument, ReadinessItem


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    ofsted_urn = factory.Sequence(lambda n: f"9{n:05d}")
    la_code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    gss_code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    region = "South West"
    la_type = "Unitary Authority"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(LocalAuthorityFactory)
    role = Role.OFFICER


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    authority = factory.SubFactory(LocalAuthorityFactory)
    event_type = EventType.STANDARD
    start_date = datetime.date(2023, 3, 13)
    end_date = factory.LazyAttribute(lambda i: i.start_date + datetime.timedelta(days=11))
    published_date = factory.LazyAttribute(lambda i: i.start_date + datetime.timedelta(days=59))
    framework = factory.LazyAttribute(lambda i: Framework.in_force_on(i.start_date))
    lead_inspector = "Anna Gravelle"


def judgement_area(inspection: Inspection, code: str) -> JudgementArea:
    return JudgementArea.objects.get(framework=inspection.framework, code=code)


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = factory.LazyAttribute(lambda j: judgement_area(j.inspection, "overall_effectiveness"))
    grade = "good"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = FindingKind.AREA_FOR_IMPROVEMENT
    title = factory.Sequence(lambda n: f"The quality of plans {n}")
    text = factory.LazyAttribute(lambda f: f"{f.title}, including how they are reviewed.")
    order = factory.Sequence(lambda n: n)


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementPlan

    inspection = factory.SubFactory(InspectionFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    area_for_improvement = factory.SubFactory(FindingFactory)
    description = "Audit the quality of plans every month"
    owner = "Principal Social Worker"
    due_date = datetime.date(2024, 3, 31)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    area_for_improvement = factory.SubFactory(FindingFactory)
    month = datetime.date(2024, 1, 1)
    rag = Rag.AMBER
    what_was_done = "Audited 20 plans with team managers."
    author = factory.SubFactory(UserFactory)
    status = UpdateStatus.DRAFT


def recorded_on(when: datetime.date, *records) -> None:
    """Dates every history row of `records` as made at 10:00 on `when`, as if the tracker had
    recorded them then: as-at pictures and committee reports for a past period read the
    authority's records from the history (improvement_plans.records)."""
    moment = timezone.make_aware(datetime.datetime.combine(when, datetime.time(10)))
    for record in records:
        rows = type(record).history.filter(id=record.pk).order_by("history_id")
        # A second apart, in the order they were made, so the latest is still the latest.
        for offset, pk in enumerate(rows.values_list("history_id", flat=True)):
            rows.filter(history_id=pk).update(
                history_date=moment + datetime.timedelta(seconds=offset)
            )


def api_token_for(user, *, name: str | None = None, expires_on: datetime.date | None = None) -> str:
    """A working personal API token of `user`'s (accounts.api_tokens), its secret."""
    import uuid

    from accounts.api_tokens import api_token_create

    _, secret = api_token_create(
        user=user,
        name=name or f"Power BI {uuid.uuid4().hex[:6]}",
        expires_on=expires_on or timezone.localdate() + datetime.timedelta(days=30),
    )
    return secret


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryDocument

    authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"Quality assurance framework {n}")
    owner = "Head of Quality Assurance"


class ReadinessItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReadinessItem

    authority = factory.SubFactory(LocalAuthorityFactory)
    title = factory.Sequence(lambda n: f"Dry run of the child-level data {n}")
    owner = "Head of Performance"
