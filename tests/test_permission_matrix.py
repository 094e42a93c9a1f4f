"""The permission matrix: every URL pattern of the project, for every kind of user.

Each URL pattern must have a row in EXPECTED (a pattern without one fails the test, so no new
page escapes). A row says which capability (accounts.permissions.Capability) a GET and a POST need
on an object of the user's own authority, or None where the method is not offered (405).

Users tried on every row: anonymous (redirected to sign-in), an officer, a manager and a viewer of
the authority that owns the objects, an officer of another authority (404 for the object; a list
page must not show the object's unique marker), and an administrator. Downloads (CSV and XLSX)
are searched for markers like pages. The API's rows (`api=True`) are requested with each user's
personal API token instead of a session; without one the answer is 401.

Published and internal data (docs/domain.md, "Published and internal data"): every object carries
a marker, published ones (what Ofsted published: the authority's name, the inspection's
inspector and summary, the finding's words) one kind, internal ones (plan, action, update,
people) another. A row marked `published` is a page of what Ofsted published: the officer of
another authority reads it (200) and sees its published markers, and never an internal one.
Every other page stays the authority's own: 404 for that officer, and none of its markers.

URL keyword arguments are filled from one object of each kind by name:
authority_pk, inspection_pk, finding_pk, action_pk, update_pk, plan_pk, report_pk, membership_pk,
evidence_pk, library_document_pk, readiness_item_pk, meeting_pk (an annual engagement meeting);
an emailed link's parts (uidb64, token) get values that do not work.
"""

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from accounts.permissions import Capability
from core.spreadsheets import XLSX_CONTENT_TYPE
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
    api_token_for,
)

VIEW, EDIT_PROGRESS, MANAGE, ADMINISTER = (
    Capability.VIEW,
    Capability.EDIT_PROGRESS,
    Capability.MANAGE,
    Capability.ADMINISTER,
)


@dataclass(frozen=True)
class Rule:
    get: Capability | None
    post: Capability | None = None
    public: bool = False  # reachable signed out (sign-in, accessibility statement, health check)
    # A step of a flow that only redirects (single sign-on: to the provider, or back to the
    # sign-in page with what went wrong), so a redirect to sign in is its allowed answer.
    redirects: bool = False
    # The read-only API: asked with the user's API token; anonymous (no token) gets 401.
    api: bool = False
    # A page of what Ofsted published: readable by anyone signed in, for any authority; it must
    # show the authority's published data and never its internal data to an outsider.
    published: bool = False


EXPECTED: dict[str, Rule] = {
    # --- ilacs ---
    "health": Rule(get=VIEW, public=True),
    "home": Rule(get=VIEW),
    "accessibility": Rule(get=VIEW, public=True),
    # --- accounts ---
    "accounts:two_factor_verify": Rule(get=VIEW, post=VIEW),
    "accounts:two_factor_setup": Rule(get=VIEW, post=VIEW),
    "accounts:api_tokens": Rule(get=VIEW, post=VIEW),
    "accounts:api_token_create": Rule(get=VIEW, post=VIEW),
    "accounts:sign_in": Rule(get=VIEW, post=VIEW, public=True),
    "accounts:sign_out": Rule(get=None, post=VIEW),
    "accounts:sso_start": Rule(get=VIEW, public=True, redirects=True),
    "accounts:sso_callback": Rule(get=VIEW, public=True, redirects=True),
    "accounts:password_reset": Rule(get=VIEW, post=VIEW, public=True),
    "accounts:password_reset_sent": Rule(get=VIEW, public=True),
    "accounts:password_reset_confirm": Rule(get=VIEW, post=VIEW, public=True),
    "accounts:password_reset_complete": Rule(get=VIEW, public=True),
    "accounts:membership_list": Rule(get=MANAGE),
    "accounts:membership_create": Rule(get=MANAGE, post=MANAGE),
    "accounts:membership_edit": Rule(get=MANAGE, post=MANAGE),
    "accounts:membership_delete": Rule(get=MANAGE, post=MANAGE),
    "accounts:invitation_resend": Rule(get=None, post=MANAGE),
    "accounts:person_active": Rule(get=ADMINISTER, post=ADMINISTER),
    "accounts:invitation": Rule(get=VIEW, post=VIEW, public=True),
    # --- inspections ---
    "improvement_plans:authority_detail": Rule(get=VIEW, published=True),
    "inspections:inspection_create": Rule(get=ADMINISTER, post=ADMINISTER),
    "improvement_plans:inspection_detail": Rule(get=VIEW, published=True),
    "improvement_plans:inspection_xlsx": Rule(get=VIEW),
    "improvement_plans:inspection_csv": Rule(get=VIEW),
    "improvement_plans:inspection_history": Rule(get=VIEW),
    "improvement_plans:inspection_deadlines": Rule(get=MANAGE, post=MANAGE),
    "inspections:inspection_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:judgements_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_create": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:findings_paste": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_delete": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_move": Rule(get=None, post=ADMINISTER),
    "inspections:report_import": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:report_import_confirm": Rule(get=None, post=ADMINISTER),
    "inspections:overview_import": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:archive_import_run": Rule(get=ADMINISTER),
    # --- improvement_plans ---
    "improvement_plans:my_updates": Rule(get=VIEW),
    "improvement_plans:review_queue": Rule(get=VIEW),
    "improvement_plans:review_queue_xlsx": Rule(get=VIEW),
    "improvement_plans:review_queue_csv": Rule(get=VIEW),
    "improvement_plans:plan_for_inspection": Rule(get=VIEW, post=MANAGE),
    "improvement_plans:plan_detail": Rule(get=VIEW),
    "improvement_plans:plan_xlsx": Rule(get=VIEW),
    "improvement_plans:plan_csv": Rule(get=VIEW),
    "improvement_plans:plan_edit": Rule(get=MANAGE, post=MANAGE),
    "improvement_plans:area_detail": Rule(get=VIEW),
    "improvement_plans:area_history": Rule(get=VIEW),
    "improvement_plans:area_edit": Rule(get=MANAGE, post=MANAGE),
    "improvement_plans:update_create": Rule(get=EDIT_PROGRESS, post=EDIT_PROGRESS),
    "improvement_plans:action_create": Rule(get=MANAGE, post=MANAGE),
    "improvement_plans:update_detail": Rule(get=VIEW),
    "improvement_plans:update_edit": Rule(get=EDIT_PROGRESS, post=EDIT_PROGRESS),
    "improvement_plans:update_review": Rule(get=MANAGE, post=MANAGE),
    "improvement_plans:action_edit": Rule(get=MANAGE, post=MANAGE),
    "improvement_plans:action_status": Rule(get=EDIT_PROGRESS, post=EDIT_PROGRESS),
    # --- dashboards ---
    "dashboards:portfolio": Rule(get=VIEW),
    "dashboards:authority": Rule(get=VIEW),
    "dashboards:portfolio_xlsx": Rule(get=VIEW),
    "dashboards:portfolio_csv": Rule(get=VIEW),
    "dashboards:authority_xlsx": Rule(get=VIEW),
    "dashboards:authority_csv": Rule(get=VIEW),
    "dashboards:benchmark": Rule(get=VIEW, published=True),
    "dashboards:improved": Rule(get=VIEW, published=True),
    "dashboards:themes": Rule(get=VIEW, published=True),
    # --- reports ---
    "reports:report_list": Rule(get=VIEW),
    "reports:report_create": Rule(get=MANAGE, post=MANAGE),
    "reports:self_evaluation_create": Rule(get=MANAGE, post=MANAGE),
    "reports:word_template": Rule(get=MANAGE, post=MANAGE),
    "reports:profile_edit": Rule(get=MANAGE, post=MANAGE),
    "reports:report_detail": Rule(get=VIEW),
    "reports:report_edit": Rule(get=MANAGE, post=MANAGE),
    "reports:section_edit": Rule(get=MANAGE, post=MANAGE),
    "reports:section_regenerate": Rule(get=None, post=MANAGE),
    "reports:report_finalise": Rule(get=MANAGE, post=MANAGE),
    "reports:report_new_version": Rule(get=None, post=MANAGE),
    "reports:report_print": Rule(get=VIEW),
    "reports:report_docx": Rule(get=VIEW),
    "reports:report_pdf": Rule(get=VIEW),
    # --- api (read-only: every write is 405) ---
    "api:api-root": Rule(get=VIEW, public=True),
    "api:openapi-json": Rule(get=VIEW, public=True),
    "api:authorities": Rule(get=VIEW, api=True),
    "api:inspections": Rule(get=VIEW, api=True),
    "api:judgements": Rule(get=VIEW, api=True),
    "api:findings": Rule(get=VIEW, api=True),
    "api:plans": Rule(get=VIEW, api=True),
    "api:actions": Rule(get=VIEW, api=True),
    "api:updates": Rule(get=VIEW, api=True),
    # --- readiness ---
    "readiness:readiness": Rule(get=VIEW),
    "readiness:item_create": Rule(get=MANAGE, post=MANAGE),
    "readiness:item_edit": Rule(get=MANAGE, post=MANAGE),
    "readiness:library": Rule(get=VIEW, post=MANAGE),
    "readiness:document_create": Rule(get=MANAGE, post=MANAGE),
    "readiness:document_detail": Rule(get=VIEW, post=EDIT_PROGRESS),
    "readiness:document_edit": Rule(get=MANAGE, post=MANAGE),
    "readiness:meeting_detail": Rule(get=VIEW),
    "readiness:meeting_edit": Rule(get=MANAGE, post=MANAGE),
    "readiness:update_evidence": Rule(get=VIEW, post=EDIT_PROGRESS),
    "readiness:action_evidence": Rule(get=VIEW, post=EDIT_PROGRESS),
    "readiness:area_evidence": Rule(get=VIEW),
    "readiness:evidence_download": Rule(get=VIEW),
}

# The matrix engine (world of objects, users, and the checks) follows below.


# Namespaces and views that are not the service's own pages: the Django admin has its own
# permission system (staff only), and static files are served only in development.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_VIEW_MODULES = ("django.views.static", "django.contrib.staticfiles")

# Every marker starts with its authority's prefix, so one search finds any of them on a page:
# one prefix for internal data, one for published data.
OWN_PREFIX = "zqOWNmark"
OTHER_PREFIX = "zqOTHERmark"
OWN_PUBLISHED = "zqOWNpubl"
OTHER_PUBLISHED = "zqOTHERpubl"

ROLE_CAPABILITIES = {
    "officer": Role.OFFICER,
    "manager": Role.MANAGER,
    "viewer": Role.VIEWER,
}


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]  # the URL's keyword arguments, outermost include first


def _walk(patterns, namespace: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[Pattern]:
    # Patterns beside the admin site under its prefix (its login, replaced by a redirect to the
    # service's sign-in) are the admin's too.
    admin_prefixes = tuple(
        str(entry.pattern)
        for entry in patterns
        if isinstance(entry, URLResolver) and entry.namespace in SKIPPED_NAMESPACES
    )
    for entry in patterns:
        groups = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, kwargs + groups)
        elif isinstance(entry, URLPattern):
            if entry.callback.__module__.startswith(SKIPPED_VIEW_MODULES):
                continue
            if admin_prefixes and str(entry.pattern).startswith(admin_prefixes):
                continue
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed: {entry.pattern}>"
            yield Pattern(name=name, kwargs=kwargs + groups)


def url_patterns() -> dict[str, Pattern]:
    """Every URL pattern of the project, from the resolver, through every include."""
    return {p.name: p for p in _walk(get_resolver().url_patterns)}


PATTERNS = url_patterns()


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = sorted(set(PATTERNS) - set(EXPECTED))
    assert missing == [], (
        f"URL patterns without a row in EXPECTED (add one in your app's section): {missing}"
    )


def test_every_row_of_the_matrix_is_a_url_pattern():
    stale = sorted(set(EXPECTED) - set(PATTERNS))
    assert stale == [], f"Rows in EXPECTED for URL patterns that no longer exist: {stale}"


# ----- The world: one object of each kind in the member authority and in another one ----------


def _marker(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}-{uuid.uuid4().hex[:8]}"


def _plant(
    authority, *, prefix: str, published: str, lead, author, with_report: bool
) -> SimpleNamespace:
    """One of each object in `authority`, each carrying a unique marker starting with `prefix`
    (internal data) or `published` (what Ofsted published)."""
    objects = SimpleNamespace(authority=authority, markers=[authority.name])
    mark = lambda kind: objects.markers.append(_marker(prefix, kind)) or objects.markers[-1]  # noqa: E731
    public = lambda kind: objects.markers.append(_marker(published, kind)) or objects.markers[-1]  # noqa: E731
    objects.inspection = InspectionFactory(
        authority=authority, lead_inspector=public("inspector"), summary=public("summary")
    )
    JudgementFactory(inspection=objects.inspection, grade="requires_improvement")
    objects.finding = FindingFactory(
        inspection=objects.inspection, title=public("finding"), text=public("text"), lead=lead
    )
    objects.plan = ImprovementPlanFactory(inspection=objects.inspection, notes=mark("plan"))
    objects.action = ActionFactory(
        area_for_improvement=objects.finding, description=mark("action"), owner=mark("owner")
    )
    objects.update = ProgressUpdateFactory(
        area_for_improvement=objects.finding,
        author=author,
        what_was_done=mark("update"),
        impact=mark("impact"),
    )
    _plant_readiness(objects, authority, mark, author)
    member = UserFactory(username=mark("member"), first_name=mark("first-name"))
    objects.membership = MembershipFactory(user=member, authority=authority, role=Role.VIEWER)
    objects.report = None
    objects.report_error = None
    if not with_report:  # a report takes a whole drafted document: only rows that name one
        return objects
    try:
        from tests.reports.factories import CommitteeReportFactory
    except ImportError as error:
        objects.report_error = f"no committee report factory in tests/reports ({error})"
    else:
        objects.report = CommitteeReportFactory(
            authority=authority, created_by=author, title=mark("report")
        )
    return objects


def _plant_readiness(objects, authority, mark, author) -> None:
    """An engagement meeting with its record, a library document with a file, a checklist item
    and evidence on the update, each marked."""
    import datetime

    from inspections.models import EventType
    from readiness import services as readiness_services
    from readiness.models import EngagementMeeting
    from tests.factories import LibraryDocumentFactory, ReadinessItemFactory
    from tests.readiness import files

    objects.meeting = InspectionFactory(
        authority=authority,
        event_type=EventType.ANNUAL_ENGAGEMENT,
        start_date=datetime.date(2024, 5, 14),
        lead_inspector=mark("meeting-hmi"),
    )
    EngagementMeeting.objects.create(
        inspection=objects.meeting, attendees=mark("attendees"), notes=mark("meeting-notes")
    )
    objects.library_document = LibraryDocumentFactory(
        authority=authority, title=mark("library"), owner=mark("library-owner")
    )
    objects.readiness_item = ReadinessItemFactory(
        authority=authority, title=mark("readiness"), owner=mark("readiness-owner")
    )
    for target, kind in ((objects.update, "evidence"), (objects.library_document, "library-file")):
        objects.evidence = readiness_services.evidence_add(
            target=target,
            uploaded_file=files.upload(f"{mark(kind + '-name')}.png", files.image("PNG")),
            title=mark(kind),
            document_date=datetime.date(2024, 2, 1),
            user=author,
        )


@pytest.fixture
def world(request, authority, other_authority, officer, manager, viewer, outsider, administrator):
    with_report = getattr(request, "param", False)
    own_name = f"North Somerset {_marker(OWN_PUBLISHED, 'authority')}"
    other_name = f"Gateshead {_marker(OTHER_PUBLISHED, 'authority')}"
    type(authority).objects.filter(pk=authority.pk).update(name=own_name)
    type(authority).objects.filter(pk=other_authority.pk).update(name=other_name)
    authority.refresh_from_db()
    other_authority.refresh_from_db()
    return SimpleNamespace(
        own=_plant(
            authority,
            prefix=OWN_PREFIX,
            published=OWN_PUBLISHED,
            lead=officer,
            author=officer,
            with_report=with_report,
        ),
        other=_plant(
            other_authority,
            prefix=OTHER_PREFIX,
            published=OTHER_PUBLISHED,
            lead=outsider,
            author=outsider,
            with_report=with_report,
        ),
        users={
            "officer": officer,
            "manager": manager,
            "viewer": viewer,
            "outsider": outsider,
            "administrator": administrator,
        },
    )


# URL keyword argument -> the object of the member authority it names.
KWARG_OBJECTS = {
    "authority_pk": "authority",
    "inspection_pk": "inspection",
    "finding_pk": "finding",
    "action_pk": "action",
    "update_pk": "update",
    "plan_pk": "plan",
    "report_pk": "report",
    "membership_pk": "membership",
    "evidence_pk": "evidence",
    "library_document_pk": "library_document",
    "readiness_item_pk": "readiness_item",
    "meeting_pk": "meeting",
}


# URL keyword arguments that are parts of a link sent by email, not objects: values that do not
# work (the pages say so; what a working link does is tested with the pages).
LINK_KWARGS = {"uidb64": "MQ", "token": "not-a-valid-token"}


def _url(pattern: Pattern, objects: SimpleNamespace) -> str:
    kwargs = {}
    for name in pattern.kwargs:
        if name in LINK_KWARGS:
            kwargs[name] = LINK_KWARGS[name]
            continue
        if name not in KWARG_OBJECTS:
            pytest.fail(
                f"{pattern.name}: no object for the URL keyword argument {name!r}. Name URL "
                f"kwargs after the model ({', '.join(KWARG_OBJECTS)}) or add it to KWARG_OBJECTS."
            )
        obj = getattr(objects, KWARG_OBJECTS[name])
        if obj is None and name == "report_pk":
            pytest.xfail(f"{pattern.name} not checked: {objects.report_error}")
        kwargs[name] = obj.pk
    return reverse(pattern.name, kwargs=kwargs)


# ----- The checks -------------------------------------------------------------------------------


def _request(user, method: str, url: str, token: str | None = None):
    """One request as `user` (with their API `token` when given, else a session), in a
    savepoint that is rolled back, so a POST that changes something (a removal, a sign-out)
    cannot change what the next role sees."""
    client = Client(headers={"Authorization": f"Bearer {token}"} if token else {})
    if user is not None and token is None:
        client.force_login(user)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    if content_type == XLSX_CONTENT_TYPE:
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if getattr(response, "streaming", False) or not content_type.startswith(
        ("text/", "application/json")
    ):
        return ""  # Word and PDF downloads: their own tests check what they contain
    return response.content.decode(errors="replace")


def _is_sign_in_redirect(response) -> bool:
    sign_in = resolve_url(settings.LOGIN_URL)
    return response.status_code in (301, 302) and response["Location"].startswith(sign_in)


def _describe(role: str, method: str, url: str, response) -> str:
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{role} {method} {url}: {response.status_code}{where}"


def _check_allowed(role, method, url, response, problems, rule=None):
    if response.status_code in (403, 404, 405) or response.status_code >= 500:
        problems.append(f"{_describe(role, method, url, response)} (expected allowed)")
    elif rule is not None and rule.redirects:
        if response.status_code not in (301, 302):
            problems.append(f"{_describe(role, method, url, response)} (expected a redirect)")
    elif method == "GET" and _is_sign_in_redirect(response):
        problems.append(
            f"{_describe(role, method, url, response)} (sent a signed-in user to sign in)"
        )


def _check_status(role, method, url, response, expected: int, problems):
    if response.status_code != expected:
        problems.append(f"{_describe(role, method, url, response)} (expected {expected})")


def _check_no_markers(role, method, url, response, prefix: str, problems):
    text = _text(response)
    if prefix in text:
        start = text.index(prefix)
        problems.append(
            f"{_describe(role, method, url, response)} shows another authority's data: "
            f"…{text[max(0, start - 60) : start + 40]}…"
        )


def _may(role: str, capability) -> bool:
    if role == "administrator":
        return True
    return ROLE_CAPABILITIES[role] in capability.value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "world"),
    [(name, "report_pk" in PATTERNS[name].kwargs) for name in sorted(PATTERNS)],
    ids=sorted(PATTERNS),
    indirect=["world"],
)
def test_url_pattern_permissions(name, world):
    if name not in EXPECTED:
        pytest.fail(f"{name} has no row in EXPECTED: add one in your app's section")
    pattern, rule = PATTERNS[name], EXPECTED[name]
    url = _url(pattern, world.own)
    is_object_url = any(k in KWARG_OBJECTS for k in pattern.kwargs)
    problems: list[str] = []
    tokens = {role: api_token_for(user) for role, user in world.users.items()} if rule.api else {}

    for method, capability in (("GET", rule.get), ("POST", rule.post)):
        # Anonymous: sent to sign in, unless the page is public; no token for the API: 401.
        response = _request(None, method, url)
        if capability is None:
            if response.status_code != 405 and not _is_sign_in_redirect(response):
                problems.append(f"{_describe('anonymous', method, url, response)} (expected 405)")
        elif rule.public:
            _check_allowed("anonymous", method, url, response, problems, rule)
        elif rule.api:
            _check_status("anonymous", method, url, response, 401, problems)
        elif not _is_sign_in_redirect(response):
            problems.append(
                f"{_describe('anonymous', method, url, response)} (expected a redirect to sign in)"
            )
        for prefix in (OWN_PREFIX, OTHER_PREFIX, OWN_PUBLISHED, OTHER_PUBLISHED):
            _check_no_markers("anonymous", method, url, response, prefix, problems)

        # Members of the authority, and an administrator.
        for role in ("officer", "manager", "viewer", "administrator"):
            response = _request(world.users[role], method, url, tokens.get(role))
            if capability is None:
                _check_status(role, method, url, response, 405, problems)
            elif rule.public or _may(role, capability):
                _check_allowed(role, method, url, response, problems, rule)
            else:
                _check_status(role, method, url, response, 403, problems)
            if role != "administrator":
                _check_no_markers(role, method, url, response, OTHER_PREFIX, problems)
                if not rule.published:
                    _check_no_markers(role, method, url, response, OTHER_PUBLISHED, problems)

        # An officer of another authority: the object does not exist for them; a page that is
        # not about one object behaves as for an officer but shows none of the first authority.
        response = _request(world.users["outsider"], method, url, tokens.get("outsider"))
        if capability is None:
            if response.status_code not in (404, 405):
                problems.append(f"{_describe('outsider', method, url, response)} (expected 405)")
        elif rule.public:
            _check_allowed("outsider", method, url, response, problems, rule)
        elif rule.published and method == "GET":
            # What Ofsted published is everyone's: read, with its published markers.
            _check_status("outsider", method, url, response, 200, problems)
            if OWN_PUBLISHED not in _text(response):
                problems.append(
                    f"{_describe('outsider', method, url, response)} shows none of the "
                    "authority's published data"
                )
        elif is_object_url:
            _check_status("outsider", method, url, response, 404, problems)
        elif _may("officer", capability):
            _check_allowed("outsider", method, url, response, problems, rule)
        else:
            _check_status("outsider", method, url, response, 403, problems)
        _check_no_markers("outsider", method, url, response, OWN_PREFIX, problems)
        if not rule.published:
            _check_no_markers("outsider", method, url, response, OWN_PUBLISHED, problems)

    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_the_markers_are_really_on_the_pages_the_matrix_searches(client, world):
    """The leak checks above are only worth something if markers show where they are allowed."""
    client.force_login(world.users["officer"])
    page = client.get(
        reverse("improvement_plans:area_detail", kwargs={"finding_pk": world.own.finding.pk})
    ).content.decode()
    assert world.own.finding.title in page
    assert world.own.action.description in page
    assert OWN_PREFIX in page  # the action: internal
    assert OWN_PUBLISHED in client.get(reverse("improvement_plans:my_updates")).content.decode()
    assert OWN_PUBLISHED in client.get(reverse("home")).content.decode()
    # The authority's page shows its people its own data: an internal marker is there to find.
    authority_page = client.get(
        reverse(
            "improvement_plans:authority_detail", kwargs={"authority_pk": world.own.authority.pk}
        )
    ).content.decode()
    assert world.own.finding.title in authority_page  # an open area, with its progress
    client.force_login(world.users["outsider"])
    assert OTHER_PUBLISHED in client.get(reverse("improvement_plans:my_updates")).content.decode()


@pytest.mark.django_db
def test_published_pages_show_an_outsider_what_ofsted_published_and_nothing_of_the_authoritys_own(
    client, world
):
    """Both ways, on the authority's and the inspection's pages: an officer of another
    authority reads the judgements and the areas for improvement, and not the plan's link, the
    deadlines, the dashboard or the progress; the authority's officer gets both."""
    inspection = world.own.inspection
    pages = {
        "authority": reverse(
            "improvement_plans:authority_detail", kwargs={"authority_pk": world.own.authority.pk}
        ),
        "inspection": reverse(
            "improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}
        ),
    }
    internal_links = [
        reverse("improvement_plans:plan_for_inspection", kwargs={"inspection_pk": inspection.pk}),
        reverse("improvement_plans:area_detail", kwargs={"finding_pk": world.own.finding.pk}),
        reverse("improvement_plans:inspection_history", kwargs={"inspection_pk": inspection.pk}),
        reverse("dashboards:authority", kwargs={"authority_pk": world.own.authority.pk}),
    ]
    client.force_login(world.users["outsider"])
    outsider = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert world.own.inspection.summary in outsider["inspection"]
    assert world.own.finding.text in outsider["inspection"]
    assert "Requires improvement to be good" in outsider["inspection"]
    assert world.own.authority.name in outsider["authority"]
    for html in outsider.values():
        assert not any(f'href="{link}"' in html for link in internal_links)
        assert "Deadlines" not in html
    client.force_login(world.users["officer"])
    member = "".join(client.get(url).content.decode() for url in pages.values())
    assert all(f'href="{link}"' in member for link in internal_links)


@pytest.mark.django_db
def test_an_outsider_still_cannot_change_published_data(client, world):
    """Reading is widened, writing is not: recording an inspection's judgements or findings
    stays an administrator's, and another authority's are not found."""
    client.force_login(world.users["outsider"])
    inspection = world.own.inspection
    for name in ("inspections:judgements_edit", "inspections:finding_create"):
        url = reverse(name, kwargs={"inspection_pk": inspection.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404


# ----- Beyond the roles: what even a role with the capability may not do ----------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_approve_own_update_refused(world, role):
    """Four eyes: "approve own update: refused" (403) for every role that may approve, while the
    same request on an update someone else wrote is allowed."""
    from improvement_plans.models import UpdateStatus
    from tests.factories import ProgressUpdateFactory

    user = world.users[role]
    update = world.own.update
    own = ProgressUpdateFactory(
        area_for_improvement=update.area_for_improvement,
        author=user,
        submitted_by=user,
        month=update.month.replace(year=update.month.year - 1),
        status=UpdateStatus.SUBMITTED,
    )
    for decision in ("approve", "return"):
        data = {"decision": decision, "comment": "Seen", "version": own.version}
        url = reverse("improvement_plans:update_review", kwargs={"update_pk": own.pk})
        response = _request_with(user, url, data)
        assert response.status_code == 403, _describe(role, "POST", url, response)
    update.status = UpdateStatus.SUBMITTED
    update.save()
    url = reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk})
    data = {"decision": "approve", "comment": "", "version": update.version}
    response = _request_with(user, url, data)
    assert response.status_code == 302, _describe(role, "POST", url, response)


def _request_with(user, url: str, data: dict):
    client = Client()
    client.force_login(user)
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


# ----- Downloads and the API: the markers are there to be missed, and tokens that do not work ----

API_PATTERNS = sorted(name for name, rule in EXPECTED.items() if rule.api)


@pytest.mark.django_db
def test_the_markers_are_really_in_the_downloads_and_the_api(client, world):
    """The leak checks search downloads and the API's answers: markers must show there when
    they are allowed to."""
    client.force_login(world.users["viewer"])
    for name, kwargs in [
        ("improvement_plans:plan_xlsx", {"plan_pk": world.own.plan.pk}),
        ("improvement_plans:plan_csv", {"plan_pk": world.own.plan.pk}),
        ("improvement_plans:inspection_xlsx", {"inspection_pk": world.own.inspection.pk}),
        ("dashboards:authority_xlsx", {"authority_pk": world.own.authority.pk}),
        ("dashboards:portfolio_csv", {}),
    ]:
        text = _text(client.get(reverse(name, kwargs=kwargs)))
        # Internal markers, or published ones where the rows are what Ofsted published.
        assert OWN_PREFIX in text or OWN_PUBLISHED in text, name
    text = _text(
        client.get(reverse("improvement_plans:plan_xlsx", kwargs={"plan_pk": world.own.plan.pk}))
    )
    assert world.own.update.what_was_done in text
    token = api_token_for(world.users["viewer"])
    for name in API_PATTERNS:
        response = _request(None, "GET", reverse(name), token)
        assert response.status_code == 200, name
        assert OWN_PREFIX in _text(response) or OWN_PUBLISHED in _text(response), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_PATTERNS)
def test_a_revoked_or_expired_token_gets_401_and_no_data(world, name):
    import datetime

    from django.utils import timezone

    from accounts.api_tokens import api_token_create, api_token_revoke

    user = world.users["manager"]
    url = reverse(name)
    revoked, revoked_secret = api_token_create(
        user=user, name="Revoked", expires_on=timezone.localdate()
    )
    api_token_revoke(user=user, token_pk=revoked.pk)
    expired, expired_secret = api_token_create(
        user=user, name="Expired", expires_on=timezone.localdate()
    )
    type(expired).objects.filter(pk=expired.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for secret in (revoked_secret, expired_secret, expired_secret[:-2] + "xx"):
        response = _request(None, "GET", url, secret)
        assert response.status_code == 401, (name, response.status_code)
        text = _text(response)
        assert OWN_PREFIX not in text and OTHER_PREFIX not in text


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_PATTERNS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_viewers_token_cannot_write(world, name, method):
    token = api_token_for(world.users["viewer"])
    client = Client(headers={"Authorization": f"Bearer {token}"})
    with transaction.atomic():
        response = client.generic(method, reverse(name), "{}", "application/json")
        transaction.set_rollback(True)
    assert response.status_code == 405, (name, method, response.status_code)
