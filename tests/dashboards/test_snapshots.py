"""The dashboards' cache (dashboards.snapshots): whatever changes the data, by whatever means, the
next view shows it; nothing one viewer sees is served to another who may not see it."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import LocalAuthority, Membership, Role
from dashboards import snapshots
from dashboards.models import DataVersion
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, Rag, UpdateStatus
from improvement_plans.rules import overdue_month
from inspections.models import Finding, Inspection, Judgement, JudgementArea
from tests.dashboards.pages import main_content
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
    judgement_area,
)

PORTFOLIO = reverse("dashboards:portfolio")
# See the query-count tests of each dashboard.
BUILT_QUERIES = 18  # the authority dashboard
PORTFOLIO_BUILT_QUERIES = 14
CACHED_QUERIES = 6
# The portfolio with every authority's line cached but not the page: the lines come from the
# cache, the page is rendered around them (7: the number of authorities, for the national
# picture).
PORTFOLIO_LINES_CACHED_QUERIES = 7


def _stamp(authority) -> int | None:
    return (
        DataVersion.objects.filter(authority_id=authority.pk)
        .values_list("version", flat=True)
        .first()
    )


@pytest.fixture
def picture(authority, other_authority, officer):
    """One current area with an approved amber update, in each of two authorities."""
    due = overdue_month(timezone.localdate())
    made = {}
    for key, la in (("mine", authority), ("theirs", other_authority)):
        inspection = InspectionFactory(authority=la)
        JudgementFactory(inspection=inspection, grade="good")
        finding = FindingFactory(inspection=inspection, title=f"Plans in {la.name}", lead=officer)
        ImprovementPlanFactory(inspection=inspection)
        ActionFactory(area_for_improvement=finding)
        update = ProgressUpdateFactory(
            area_for_improvement=finding,
            month=due,
            rag=Rag.AMBER,
            status=UpdateStatus.APPROVED,
            author=officer,
        )
        made[key] = {"inspection": inspection, "finding": finding, "update": update}
    return made


def _mine(picture):
    return picture["mine"]


# Each is a change to the first authority's data, some through the models, some around them.
CHANGES = {
    "new inspection": lambda p: InspectionFactory(
        authority=p["inspection"].authority, start_date=datetime.date(2025, 6, 2)
    ),
    "inspection saved": lambda p: _save(p["inspection"], lead_inspector="Someone Else"),
    "inspection updated in bulk": lambda p: Inspection.objects.filter(pk=p["inspection"].pk).update(
        lead_inspector="Bulk"
    ),
    "new judgement": lambda p: JudgementFactory(
        inspection=p["inspection"],
        area=judgement_area(p["inspection"], "care_leavers"),
        grade="good",
    ),
    "judgement regraded in bulk": lambda p: Judgement.objects.filter(
        inspection=p["inspection"]
    ).update(grade="inadequate"),
    "judgement deleted": lambda p: Judgement.objects.filter(inspection=p["inspection"]).delete(),
    "new area": lambda p: FindingFactory(inspection=p["inspection"]),
    "area retitled in bulk": lambda p: Finding.objects.filter(pk=p["finding"].pk).update(
        title="Renamed"
    ),
    "plan accepted in bulk": lambda p: ImprovementPlan.objects.filter(
        inspection=p["inspection"]
    ).update(submitted_on=datetime.date(2023, 7, 1), accepted_on=datetime.date(2024, 1, 5)),
    "new action": lambda p: ActionFactory(area_for_improvement=p["finding"]),
    "action deleted": lambda p: Action.objects.filter(area_for_improvement=p["finding"]).delete(),
    "update's RAG in bulk": lambda p: ProgressUpdate.objects.filter(pk=p["update"].pk).update(
        rag=Rag.RED
    ),
    "update deleted": lambda p: p["update"].delete(),
    "update changed by raw SQL": lambda p: _raw(
        "UPDATE improvement_plans_progressupdate SET rag = 'green' WHERE id = %s", p["update"].pk
    ),
}


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_an_authoritys_data_gives_it_a_new_stamp(
    picture, authority, other_authority, change
):
    mine, theirs = _stamp(authority), _stamp(other_authority)
    assert mine is not None and theirs is not None
    CHANGES[change](_mine(picture))
    assert _stamp(authority) != mine
    assert _stamp(other_authority) == theirs  # only the authority whose data changed


def test_moving_an_area_to_another_authority_restamps_both(picture, authority, other_authority):
    mine, theirs = _stamp(authority), _stamp(other_authority)
    Finding.objects.filter(pk=picture["mine"]["finding"].pk).update(
        inspection=picture["theirs"]["inspection"]
    )
    assert _stamp(authority) != mine and _stamp(other_authority) != theirs


def test_a_new_authority_has_a_stamp_from_the_start(db):
    assert _stamp(LocalAuthorityFactory()) is not None


def test_renaming_a_person_restamps_every_authority_but_signing_in_does_not(
    picture, authority, other_authority, officer, client
):
    before = (_stamp(authority), _stamp(other_authority))
    client.force_login(officer)  # updates last_login
    assert (_stamp(authority), _stamp(other_authority)) == before
    get_user_model().objects.filter(pk=officer.pk).update(first_name="Renamed")
    after = (_stamp(authority), _stamp(other_authority))
    assert after[0] != before[0] and after[1] != before[1]


def test_renaming_a_judgement_area_restamps_every_authority(picture, authority, other_authority):
    before = (_stamp(authority), _stamp(other_authority))
    JudgementArea.objects.filter(code="care_leavers").update(short_name="Leaving care")
    after = (_stamp(authority), _stamp(other_authority))
    assert after[0] != before[0] and after[1] != before[1]


def _dashboard(client, authority):
    response = client.get(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))
    assert response.status_code == 200
    return main_content(response)


def test_the_authority_dashboard_shows_a_change_made_after_it_was_cached(
    client, manager, authority, picture, django_assert_num_queries
):
    client.force_login(manager)
    assert '<strong class="app-rag app-rag--amber">Amber</strong>' in _dashboard(client, authority)
    with django_assert_num_queries(CACHED_QUERIES):
        _dashboard(client, authority)
    # Around the models: no signal, no save(); the database's trigger still sees it.
    ProgressUpdate.objects.filter(pk=picture["mine"]["update"].pk).update(rag=Rag.RED)
    with django_assert_num_queries(BUILT_QUERIES):
        page = _dashboard(client, authority)
    assert '<strong class="app-rag app-rag--red">Red</strong>' in page
    assert "app-rag--amber" not in page


def test_the_portfolio_shows_a_change_made_after_it_was_cached(
    client, authority, other_authority, picture, django_assert_num_queries
):
    viewer = UserFactory(username="regional")
    for la in (authority, other_authority):
        Membership.objects.create(user=viewer, authority=la, role=Role.VIEWER)
    client.force_login(viewer)
    response = client.get(PORTFOLIO + "?sort=-red")
    red_first = [row.authority.name for row in response.context["rows"]]
    with django_assert_num_queries(CACHED_QUERIES):
        assert main_content(client.get(PORTFOLIO + "?sort=-red")) == main_content(response)
    ProgressUpdate.objects.filter(pk=picture["mine"]["update"].pk).update(rag=Rag.RED)
    # One authority changed: its line is built again, the other's comes from the cache.
    with django_assert_num_queries(PORTFOLIO_BUILT_QUERIES):
        response = client.get(PORTFOLIO + "?sort=-red")
    rows = response.context["rows"]
    assert rows[0].authority.name == authority.name
    assert rows[0].rag_counts[Rag.RED] == 1
    assert red_first != [row.authority.name for row in rows]


def test_people_who_see_different_authorities_never_share_a_portfolio(
    client, authority, other_authority, picture
):
    both = UserFactory(username="both")
    one = UserFactory(username="one")
    for la in (authority, other_authority):
        Membership.objects.create(user=both, authority=la, role=Role.VIEWER)
    Membership.objects.create(user=one, authority=authority, role=Role.VIEWER)
    client.force_login(both)
    assert other_authority.name in main_content(client.get(PORTFOLIO))
    client.force_login(one)
    page = main_content(client.get(PORTFOLIO))
    assert authority.name in page
    assert other_authority.name not in page
    # Losing a membership changes what the next page shows at once.
    Membership.objects.filter(user=both, authority=other_authority).delete()
    client.force_login(both)
    assert other_authority.name not in main_content(client.get(PORTFOLIO))


def test_what_is_cached_is_rendered_without_the_viewer(client, authority, picture):
    """The cached bodies are rendered with no request: no user, no CSRF token, no CSP nonce."""
    first = UserFactory(username="first", first_name="Ottoline", last_name="Firstviewer")
    second = UserFactory(username="second")
    for user in (first, second):
        Membership.objects.create(user=user, authority=authority, role=Role.VIEWER)
    client.force_login(first)
    _dashboard(client, authority)
    client.get(PORTFOLIO)
    stamps = [(authority.pk, _stamp(authority))]
    today = timezone.localdate()
    bodies = [
        snapshots.cached("authority", stamps, today)["body"],
        snapshots.cached("portfolio-page", stamps, today),
    ]
    client.force_login(second)
    for body, url in zip(
        bodies,
        (reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}), PORTFOLIO),
        strict=True,
    ):
        assert authority.name in body
        assert "csrfmiddlewaretoken" not in body and "nonce" not in body
        page = client.get(url).content.decode()
        assert body in page  # served from the cache...
        assert "csrfmiddlewaretoken" in page  # ...inside a layout rendered for this request
        assert "Firstviewer" not in page


def test_a_new_day_builds_the_dashboards_afresh(
    client, manager, authority, picture, monkeypatch, django_assert_num_queries
):
    client.force_login(manager)
    _dashboard(client, authority)
    client.get(PORTFOLIO)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    with django_assert_num_queries(BUILT_QUERIES):
        page = _dashboard(client, authority)
    assert f"As at {tomorrow:%-d %B %Y}" in page
    with django_assert_num_queries(PORTFOLIO_BUILT_QUERIES):
        client.get(PORTFOLIO)


def test_an_invalid_filter_is_answered_but_never_cached(client, manager, authority, picture):
    client.force_login(manager)
    for _ in range(2):
        response = client.get(PORTFOLIO + "?region=Atlantis")
        assert b"Choose a region from the list" in response.content
    stamps = [(authority.pk, _stamp(authority))]
    today = timezone.localdate()
    assert snapshots.cached("portfolio-row", stamps, today) is not None  # the data is
    assert snapshots.cached("portfolio-page", stamps, today, (("region", ("Atlantis",)),)) is None
    client.get(PORTFOLIO + "?region=South+West")
    assert snapshots.cached("portfolio-page", stamps, today, (("region", ("South West",)),))


def test_warm_dashboards_builds_every_dashboard_ahead_of_its_first_viewer(
    client, manager, authority, other_authority, picture, django_assert_num_queries
):
    out = io.StringIO()
    call_command("warm_dashboards", stdout=out)
    count = LocalAuthority.objects.count()
    assert f"{count + 1} built, 0 already cached" in out.getvalue()
    client.force_login(manager)
    with django_assert_num_queries(CACHED_QUERIES):
        _dashboard(client, authority)
    administrator = UserFactory(username="admin", is_superuser=True)
    client.force_login(administrator)
    # Every authority's portfolio line was built: only the page around them is rendered.
    with django_assert_num_queries(PORTFOLIO_LINES_CACHED_QUERIES):
        client.get(PORTFOLIO)
    out = io.StringIO()
    call_command("warm_dashboards", stdout=out)
    assert f"0 built, {count + 1} already cached" in out.getvalue()


def test_it_works_the_same_with_the_database_cache(
    client, manager, authority, picture, settings, django_assert_num_queries
):
    """Production's default cache (CACHE_URL=db): a table in the same database."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ilacs_test_cache",
        }
    }
    call_command("createcachetable")
    client.force_login(manager)
    assert "app-rag--amber" in _dashboard(client, authority)
    # The process keeps its own copy of what it built (snapshots.Memo): no cache query.
    with django_assert_num_queries(CACHED_QUERIES):
        assert "app-rag--amber" in _dashboard(client, authority)
    # Another app server reads the table once: one more query.
    snapshots.MEMO.clear()
    with django_assert_num_queries(CACHED_QUERIES + 1):
        assert "app-rag--amber" in _dashboard(client, authority)
    ProgressUpdate.objects.filter(pk=picture["mine"]["update"].pk).update(rag=Rag.GREEN)
    assert "app-rag--green" in _dashboard(client, authority)


# --- The process's own copy in front of a shared cache (snapshots.Memo) ----------------------


@pytest.fixture
def shared_cache(settings, db):
    """The cache as production has it by default: a database table, shared by the app servers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ilacs_memo_test",
        }
    }
    call_command("createcachetable", verbosity=0)
    snapshots.MEMO.clear()
    yield
    snapshots.MEMO.clear()


def _reads(action):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        value = action()
    return value, len(captured.captured_queries)


def test_a_dashboard_read_again_costs_no_round_trip_and_each_read_is_its_own_copy(
    shared_cache, authority
):
    today = datetime.date(2026, 3, 2)
    stamps = [(authority.pk, 7)]
    snapshots.store("probe", stamps, today, {"rows": [1, 2]})
    first, queries = _reads(lambda: snapshots.cached("probe", stamps, today))
    assert first == {"rows": [1, 2]} and queries == 0
    first["rows"].append(3)  # a view changing what it read reaches no other request
    assert snapshots.cached("probe", stamps, today) == {"rows": [1, 2]}
    # Another process (an empty copy) reads the shared cache once, then its own copy.
    snapshots.MEMO.clear()
    value, queries = _reads(lambda: snapshots.cached("probe", stamps, today))
    assert value == {"rows": [1, 2]} and queries >= 1
    assert _reads(lambda: snapshots.cached("probe", stamps, today)) == ({"rows": [1, 2]}, 0)
    # A new stamp is another key: never answered from the copy of the old one.
    assert snapshots.cached("probe", [(authority.pk, 8)], today) is None


def test_the_portfolio_lines_come_from_the_process_copy_once_read(shared_cache, picture):
    today = timezone.localdate()
    stamps = [(a.pk, a.data_version) for a in snapshots.with_stamps(LocalAuthority.objects.all())]
    built, _ = _reads(lambda: snapshots.portfolio(stamps, today=today))
    again, queries = _reads(lambda: snapshots.portfolio(stamps, today=today))
    # The authorities' total count only: no cache read, no build.
    assert queries == 1
    assert [row.authority for row in again.rows] == [row.authority for row in built.rows]


def test_the_copy_keeps_the_most_recently_used_within_its_size():
    memo = snapshots.Memo(limit=100)
    memo.put("a", "x" * 40)
    memo.put("b", b"y" * 40)
    assert memo.get("a") == "x" * 40  # "a" is now the most recently used
    memo.put("c", "z" * 40)
    assert memo.get("b") is None and memo.get("a") == "x" * 40 and memo.get("c") == "z" * 40
    memo.put("huge", "h" * 101)  # larger than the whole copy: not kept
    assert memo.get("huge") is None and memo.get("a") is not None
