"""The authority dashboard on known data: judgements and their change, current areas with RAG,
trend, overdue and waiting updates, actions, deadlines; scoping; a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.months import add_months
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    Rag,
    UpdateStatus,
)
from improvement_plans.rules import overdue_month
from inspections.models import EventType, FindingKind, Inspection
from readiness import services as readiness_services
from tests.dashboards.pages import main_content
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LibraryDocumentFactory,
    ProgressUpdateFactory,
    ReadinessItemFactory,
    judgement_area,
)
from tests.readiness import files


def _judge(inspection, **grades):
    for code, grade in grades.items():
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)


@pytest.fixture
def known(authority, officer):
    """Two graded inspections (requires improvement, then good) and the latest one's areas:
    `plans` reported green for the month now due (submitted, waiting), `supervision` red with
    only a draft for the month now due (overdue), `leavers` complete; one area of the previous
    inspection (no longer current)."""
    today = timezone.localdate()
    due = overdue_month(today)
    previous = InspectionFactory(authority=authority, start_date=datetime.date(2019, 3, 4))
    _judge(
        previous,
        overall_effectiveness="requires_improvement",
        impact_of_leaders="inadequate",
        help_and_protection="requires_improvement",
    )
    latest = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    _judge(
        latest,
        overall_effectiveness="good",
        impact_of_leaders="good",
        help_and_protection="requires_improvement",
        children_in_care="good",
    )
    ImprovementPlanFactory(inspection=latest, submitted_on=datetime.date(2023, 7, 20))
    old_area = FindingFactory(inspection=previous, title="Old area from 2019", lead=officer)
    plans = FindingFactory(inspection=latest, title="Quality of plans", lead=officer, order=1)
    supervision = FindingFactory(inspection=latest, title="Supervision", lead=officer, order=2)
    leavers = FindingFactory(inspection=latest, title="Pathway plans", lead=officer, order=3)
    FindingFactory(inspection=latest, title="A strength", kind=FindingKind.STRENGTH)

    def update(finding, months_before_due, rag, status=UpdateStatus.APPROVED):
        return ProgressUpdateFactory(
            area_for_improvement=finding,
            month=add_months(due, -months_before_due),
            rag=rag,
            status=status,
            author=officer,
        )

    update(plans, 2, Rag.AMBER)
    update(plans, 1, Rag.AMBER)
    waiting = update(plans, 0, Rag.GREEN, UpdateStatus.SUBMITTED)
    update(supervision, 1, Rag.RED)
    update(supervision, 0, Rag.GREEN, UpdateStatus.DRAFT)  # not reported yet
    update(leavers, 3, Rag.COMPLETE)
    update(old_area, 40, Rag.RED)
    overdue_action = ActionFactory(
        area_for_improvement=plans,
        description="Audit plans monthly",
        due_date=today - datetime.timedelta(days=5),
        status=ActionStatus.IN_PROGRESS,
    )
    soon_action = ActionFactory(
        area_for_improvement=supervision,
        description="Train team managers",
        due_date=today + datetime.timedelta(days=10),
    )
    ActionFactory(
        area_for_improvement=supervision,
        description="Later action",
        due_date=today + datetime.timedelta(days=60),
    )
    ActionFactory(
        area_for_improvement=leavers,
        description="Done action",
        due_date=today - datetime.timedelta(days=50),
        status=ActionStatus.COMPLETE,
        completed_on=today - datetime.timedelta(days=55),
    )
    return {
        "today": today,
        "due": due,
        "areas": (plans, supervision, leavers),
        "waiting": waiting,
        "actions": (overdue_action, soon_action),
    }


def _get(client, user, authority):
    client.force_login(user)
    return client.get(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))


def test_it_compares_the_latest_judgements_with_the_previous_inspection(
    client, manager, authority, known
):
    dashboard = _get(client, manager, authority).context["dashboard"]
    changes = {c.judgement_area: (c.previous, c.latest, c.change) for c in dashboard.changes}
    assert changes == {
        "Overall effectiveness": ("requires_improvement", "good", "Improved"),
        "The impact of leaders on social work practice with children and families": (
            "inadequate",
            "good",
            "Improved",
        ),
        "The experiences and progress of children who need help and protection": (
            "requires_improvement",
            "requires_improvement",
            "No change",
        ),
        "The experiences and progress of children in care": (None, "good", "Not judged before"),
    }


def test_it_lists_the_current_areas_with_their_reported_rag(client, manager, authority, known):
    dashboard = _get(client, manager, authority).context["dashboard"]
    _plans, _supervision, _leavers = known["areas"]
    assert [(a.title, a.progress.latest_reported_rag) for a in dashboard.afis] == [
        ("Quality of plans", Rag.GREEN),  # submitted counts as reported
        ("Supervision", Rag.RED),  # the draft green does not count yet
        ("Pathway plans", Rag.COMPLETE),
    ]
    assert dashboard.rag_counts == {"red": 1, "amber": 0, "green": 1, "complete": 1, None: 0}


def test_it_shows_a_twelve_month_trend_per_area_up_to_this_month(client, manager, authority, known):
    response = _get(client, manager, authority)
    dashboard = response.context["dashboard"]
    plans, supervision, _leavers = known["areas"]
    this_month = known["today"].replace(day=1)
    assert len(dashboard.trend_months) == 12 and dashboard.trend_months[-1] == this_month
    due_index = dashboard.trend_months.index(known["due"])
    assert dashboard.trend[plans.pk][due_index - 2 : due_index + 1] == ["amber", "amber", "green"]
    assert dashboard.trend[supervision.pk][due_index] is None  # a draft is not reported
    assert response.context["trend_chart"].table_rows[0][0] == "Quality of plans"
    assert b'role="img"' in response.content


def test_only_an_open_area_missing_the_due_update_is_overdue(client, manager, authority, known):
    response = _get(client, manager, authority)
    dashboard = response.context["dashboard"]
    assert [a.title for a in dashboard.overdue_areas] == ["Supervision"]
    assert f"{known['due']:%B %Y} update not submitted (it is a draft)".encode() in response.content


def test_it_lists_updates_waiting_for_approval(client, manager, authority, known):
    dashboard = _get(client, manager, authority).context["dashboard"]
    assert dashboard.awaiting_approval == [known["waiting"]]


def test_it_lists_actions_overdue_and_due_in_30_days_but_not_later_or_complete(
    client, manager, authority, known
):
    dashboard = _get(client, manager, authority).context["dashboard"]
    overdue, soon = known["actions"]
    assert dashboard.actions_overdue == [overdue]
    assert dashboard.actions_due_soon == [soon]


def test_it_shows_deadlines_and_the_next_inspection_window(client, manager, authority, known):
    response = _get(client, manager, authority)
    dashboard = response.context["dashboard"]
    labels = [deadline.label for _, deadline in dashboard.deadline_list]
    assert "Send the action plan to Ofsted" in labels
    plan_deadline = next(d for _, d in dashboard.deadline_list if d.label.startswith("Send"))
    assert plan_deadline.met_on == datetime.date(2023, 7, 20)
    assert dashboard.window is not None
    assert dashboard.window.opens < datetime.date(2026, 3, 13) < dashboard.window.closes
    assert b"Next short inspection: " in response.content
    assert dashboard.window.status in response.content.decode()


def test_it_draws_the_judgement_history(client, manager, authority, known):
    response = _get(client, manager, authority)
    chart = response.context["history_chart"]
    assert [row[2] for row in chart.table_rows] == ["Requires improvement", "Good"]
    assert b"judgement-history-title" in response.content


def test_a_viewer_may_read_it(client, viewer, authority, known):
    assert _get(client, viewer, authority).status_code == 200


def test_it_is_a_404_for_another_authority(client, outsider, authority, known):
    assert _get(client, outsider, authority).status_code == 404


def test_it_redirects_anonymous_users_to_sign_in(client, authority):
    response = client.get(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_it_refuses_post(client, manager, authority):
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    assert client.post(url).status_code == 405


def test_an_authority_without_inspections_gets_an_empty_dashboard(client, manager, authority):
    response = _get(client, manager, authority)
    assert response.status_code == 200
    assert b"No graded inspection recorded yet" in response.content
    assert b"No current areas for improvement" in response.content


def test_a_visit_with_priority_actions_after_the_inspection_is_current(
    client, manager, authority, known, officer
):
    visit = InspectionFactory(
        authority=authority,
        event_type=EventType.FOCUSED_VISIT,
        start_date=datetime.date(2025, 1, 13),
    )
    FindingFactory(
        inspection=visit, kind=FindingKind.PRIORITY_ACTION, title="Front door", lead=officer
    )
    response = _get(client, manager, authority)
    assert "Front door" in [a.title for a in response.context["dashboard"].afis]
    labels = [d.label for _, d in response.context["dashboard"].deadline_list]
    assert "Send a draft plan for the areas for priority action" in labels


def _big_history(authority, officer, areas: int, months: int):
    """Many inspections, areas, actions and updates: what years of use leave behind."""
    due = overdue_month(timezone.localdate())
    for year in (2014, 2016):
        inspection = InspectionFactory(
            authority=authority, event_type=EventType.SIF, start_date=datetime.date(year, 3, 3)
        )
        _judge(inspection, overall_effectiveness="inadequate")
        for _n in range(areas):
            finding = FindingFactory(inspection=inspection, lead=officer)
            ActionFactory(area_for_improvement=finding)
    latest = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    _judge(latest, overall_effectiveness="good", care_leavers="good")
    for _n in range(areas):
        finding = FindingFactory(inspection=latest, lead=officer)
        ActionFactory(area_for_improvement=finding, due_date=timezone.localdate())
        for m in range(months):
            ProgressUpdateFactory(
                area_for_improvement=finding,
                month=add_months(due, -m),
                status=UpdateStatus.SUBMITTED,
                author=officer,
            )


def _readiness(authority, officer, *, documents: int, items: int) -> None:
    """Library documents, each with a file (some stale, some missing), and checklist items."""
    for n in range(documents):
        document = LibraryDocumentFactory(
            authority=authority, review_date=datetime.date(2020, 1, 1) if n % 2 else None
        )
        if n % 3:
            readiness_services.evidence_add(
                target=document,
                uploaded_file=files.upload("a.png", files.image("PNG")),
                title=f"File {n}",
                document_date=datetime.date(2024, 1, 1),
                user=officer,
            )
    for _ in range(items):
        ReadinessItemFactory(authority=authority)


@pytest.mark.parametrize("size", ["small", "large"])
def test_it_runs_the_same_queries_whatever_the_data_size(
    client, manager, officer, authority, django_assert_num_queries, size
):
    if size == "small":
        _big_history(authority, officer, areas=1, months=1)
        _readiness(authority, officer, documents=1, items=1)
    else:
        _big_history(authority, officer, areas=12, months=14)
        _readiness(authority, officer, documents=15, items=8)
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    # Built: 1 session, 2 user, 3 the authority (scoped to the user) with its data stamp, then
    # improvement_plans.records.load (the authority not read again): 4 frameworks, 5 judgement
    # areas, 6 inspections, 7 current areas, 8 their updates, 9 their actions, 10 plans, 11 the
    # people named, 12 judgements; readiness: 13 library documents, 14 their files, 15 open
    # checklist items; 16-18 savepoint, session expiry pushed back, release
    with django_assert_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["dashboard"].afis) == (1 if size == "small" else 12)
    # From the cache: 1 session, 2 user, 3 the authority with its stamp, 4-6 the session
    with django_assert_num_queries(6):
        again = client.get(url)
    assert main_content(again) == main_content(response)


@pytest.mark.parametrize("size", ["small", "large"])
def test_as_at_an_earlier_day_it_runs_the_same_queries_whatever_the_data_size(
    client, manager, officer, authority, django_assert_num_queries, size
):
    if size == "small":
        _big_history(authority, officer, areas=1, months=1)
    else:
        _big_history(authority, officer, areas=12, months=14)
    # Everything recorded two days ago, so that the picture as at yesterday holds it all.
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    for model in (Inspection, ProgressUpdate, Action, ImprovementPlan):
        model.history.all().update(history_date=two_days_ago)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    # Built: 1 session, 2 user, 3 the authority (scoped to the user), then
    # improvement_plans.records.load from the history (the authority not read again):
    # 4 frameworks, 5 judgement areas, 6 inspections, 7 when the authority published each
    # report, as it stood, 8 current areas, 9 their updates, 10 their actions, 11 plans, 12 the
    # people named, 13 judgements; 14-16 savepoint, session expiry pushed back, release. No
    # readiness panel as at an earlier day, and nothing written to the shared cache.
    with django_assert_num_queries(16):
        response = client.get(url, {"as_at": yesterday.isoformat()})
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert len(dashboard.afis) == (1 if size == "small" else 12)
    assert all(area.progress.latest_reported_rag for area in dashboard.afis)
    # Kept in the process: 1 session, 2 user, 3 the authority, 4-6 the session.
    with django_assert_num_queries(6):
        again = client.get(url, {"as_at": yesterday.isoformat()})
    assert main_content(again) == main_content(response)


@pytest.mark.parametrize("as_at", [None, datetime.date(2025, 3, 31)])
def test_the_as_at_form_kept_for_the_day_is_the_form_crispy_renders_in_the_page(
    client, manager, authority, monkeypatch, as_at
):
    from dashboards import views

    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    query = {"as_at": as_at.isoformat()} if as_at else {}
    kept = client.get(url, query)
    assert kept.context["as_at_form_html"]
    # The same page with the form rendered by {% crispy %} in the template, as for a refused date.
    monkeypatch.setattr(views, "_as_at_form_html", lambda *_args: None)
    fresh = client.get(url, query)
    assert main_content(kept) == main_content(fresh)
    assert ('value="2025"' in main_content(kept)) == (as_at is not None)
