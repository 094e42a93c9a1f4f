"""Hostile input, to every form in the service, found by walking every URL pattern.

For each URL pattern (tests/security/world.py fills in its kwargs) the page is fetched as an
administrator and as an officer; every POST form on it is then posted with values Hypothesis draws
from a mix of plausible values and hostile ones: huge strings, control characters, markup, wrong
types, impossible dates, other authorities' ids, missing and repeated fields, junk files. A form
added to any app later is covered without changing this test.

What must hold for every post:
- never a server error (5xx);
- a rejected post (anything but a redirect) changes no rows in any table;
- user text is escaped wherever the response shows it (including the page a success leads to).
"""

from __future__ import annotations

import html
import os
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.world import World, build_world, routes

# Tables whose rows change on any request by design: sessions (saved on every request), django-axes'
# sign-in logs, the cache.
UNCOUNTED_PREFIXES = ("django_session", "axes_", "ilacs_cache")
# Forms that are not data entry: signing out (in every page's navigation).
SKIPPED_ACTIONS = {"accounts:sign_out"}

MARKUP = '<script>alert("ilacs-xss")</script>'
ATTRIBUTE_BREAK = '"><img src=x onerror=alert("ilacs-xss")>'
HOSTILE_TEXT = [
    "",
    " ",
    "x" * 100_000,
    "\x00",
    "a\x00b\x01\x02\x1b[31m\x7f",
    "\r\n\t\u2028\u2029",
    "\ud7ff\ufeff\u200b\u202e",
    "😀" * 500,
    MARKUP,
    ATTRIBUTE_BREAK,
    "{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE inspections_inspection; --",
    "../../../../etc/passwd",
    '=HYPERLINK("https://evil.example")',
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "2024-02-30",
    "31/02/2023",
    "true",
    "[]",
    "{}",
]
HOSTILE_NUMBERS = ["-1", "0", "00", "32", "13", "99999999999", "1.5", "abc", "", " 7 ", "٣"]


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, FormField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Finds every <form method="post"> with its fields and their allowed values."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            if (attributes.get("method") or "get").lower() == "post":
                action = urljoin(self.page_url, attributes.get("action") or self.page_url)
                multipart = attributes.get("enctype") == "multipart/form-data"
                self._form = Form(action=action, multipart=multipart)
                self.forms.append(self._form)
            return
        if self._form is None or not attributes.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(attributes.get("value") or "")
            return
        name = attributes["name"]
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            existing = self._form.fields.get(name)
            if existing is not None and kind in {"radio", "checkbox"}:
                existing.options.append(attributes.get("value") or "on")
                return
            self._form.fields[name] = FormField(
                name, kind, attributes.get("value") or "", [attributes.get("value") or "on"]
            )
        elif tag == "textarea":
            self._form.fields[name] = FormField(name, "textarea")
        elif tag == "select":
            self._select = FormField(name, "select")
            self._form.fields[name] = self._select
        elif tag == "button" and attributes.get("value") is not None:
            self._form.fields[name] = FormField(name, "submit", attributes["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(page_url: str, page: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(page)
    forms = []
    for form in parser.forms:
        path = urlsplit(form.action).path
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name not in SKIPPED_ACTIONS:
            form.action = path + (
                f"?{urlsplit(form.action).query}" if urlsplit(form.action).query else ""
            )
            forms.append(form)
    return forms


def row_counts() -> dict[str, int]:
    """Rows in every table of the project, in one query."""
    tables = [
        table
        for table in connection.introspection.table_names()
        if not table.startswith(UNCOUNTED_PREFIXES)
    ]
    quote = connection.ops.quote_name
    # Table names come from the database catalogue, not from input.
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _junk_file() -> st.SearchStrategy:
    return st.builds(
        lambda name, content: SimpleUploadedFile(name, content),
        st.sampled_from(["report.pdf", "overview.xlsx", "x.PDF", "../../evil.pdf", "a" * 300]),
        st.one_of(
            st.binary(max_size=2000),
            st.just(b""),
            st.just(b"%PDF-1.7\n%broken"),
            st.just(b"PK\x03\x04 not really a spreadsheet"),
            st.just(MARKUP.encode()),
        ),
    )


def field_values(form_field: FormField, world: World) -> st.SearchStrategy:
    """What to send for one field: mostly something it could accept, often something hostile."""
    others = world.other_authority_ids()
    if form_field.kind == "file":
        return _junk_file()
    hostile = st.one_of(
        st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS + others),
        st.text(max_size=60),
        st.text(alphabet=string.printable, max_size=20),
    )
    if form_field.kind in {"select", "radio", "checkbox", "hidden", "submit"}:
        plausible = st.sampled_from(form_field.options or [form_field.value])
    elif form_field.name.endswith(("_0", "_1", "_2")) or form_field.kind == "number":
        plausible = st.sampled_from(
            [str(n) for n in (1, 2, 12, 28, 29, 30, 31, 2023, 2024)] + HOSTILE_NUMBERS
        )
    elif form_field.kind == "date":
        plausible = st.sampled_from(["2024-01-31", "2023-02-29", "0000-00-00", "2024-13-01"])
    else:
        plausible = st.sampled_from(
            ["Audited 20 plans with team managers.", f"Plans reviewed {MARKUP}", ATTRIBUTE_BREAK]
        )
    return st.one_of(plausible, plausible, hostile, st.lists(hostile, min_size=2, max_size=3))


def form_data(form: Form, world: World) -> st.SearchStrategy:
    names = list(form.fields)
    value_strategies = {name: field_values(form.fields[name], world) for name in names}
    return st.fixed_dictionaries(
        {},
        optional={name: strategy for name, strategy in value_strategies.items()},
    ).map(lambda data: {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"})


def assert_escaped(page: str, where: str) -> None:
    assert MARKUP not in page, f"unescaped markup in {where}"
    assert "<img src=x onerror" not in page, f"unescaped attribute break in {where}"


ROUTES = routes()
# Examples per form and user: enough to meet every kind of hostile value over a few runs, few enough
# for the suite. HOSTILE_EXAMPLES=200 for a long search.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "6"))
# A form shown on several pages (say a button on a list and on a detail page) is fuzzed once per user.
_FUZZED: set[tuple[str, tuple[str, ...], str]] = set()


@pytest.fixture
def world(authority, other_authority, officer) -> World:
    return build_world(authority, other_authority, officer)


@pytest.mark.django_db
@pytest.mark.parametrize("as_user", ["administrator", "officer"])
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_every_form_survives_hostile_input(route, as_user, world, administrator, request):
    # Forms are found as an administrator, who can open every page, then posted as `as_user`: an
    # officer posting to a form only an administrator is shown must be refused without changes.
    user = request.getfixturevalue(as_user)
    url = world.url(route)
    discoverer = Client(raise_request_exception=False)
    discoverer.force_login(administrator)
    response = discoverer.get(url)
    assert response.status_code < 500, f"GET {url}: {response.status_code}"
    # A file served as a stream (an evidence download) has no forms to find.
    streamed = getattr(response, "streaming", False)
    page = (
        response.content.decode(errors="replace")
        if response.status_code == 200 and not streamed
        else ""
    )
    forms = post_forms(url, page) if "text/html" in response.get("Content-Type", "") else []
    if response.status_code == 405:
        # A POST-only address: whatever a form elsewhere would send, junk gets no 500 either.
        forms = [Form(url, False, {name: FormField(name, "text") for name in JUNK_FIELD_NAMES})]
    unique = {(form.action, tuple(sorted(form.fields))): form for form in forms}
    for key, form in unique.items():
        if (*key, as_user) in _FUZZED:
            continue
        _FUZZED.add((*key, as_user))
        _fuzz_form(form, world, user, as_user)
        if as_user == "officer" and route.kwargs:
            _post_to_another_authority(form, route, world, user)


JUNK_FIELD_NAMES = ("version", "status", "comment", "code", "section", "month", "decision")


def _post_to_another_authority(form: Form, route, world: World, user) -> None:
    """The same form, aimed at the other authority's object: refused, nothing changed."""
    theirs = reverse(route.name, kwargs={name: world.theirs.pks[name] for name in route.kwargs})
    action = form.action.replace(world.url(route), theirs, 1)
    if action == form.action:
        return  # the form posts elsewhere (e.g. a button to another page's address)
    data = {name: (f.options or [f.value or "1"])[0] for name, f in form.fields.items()}
    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = row_counts()
    response = client.post(action, {k: v for k, v in data.items() if f_kind(form, k) != "file"})
    assert response.status_code in (403, 404, 405), (
        f"officer POST {action} (another authority's): {response.status_code}"
    )
    assert row_counts() == before, f"officer POST {action} (another authority's) changed rows"


def f_kind(form: Form, name: str) -> str:
    return form.fields[name].kind


def _fuzz_form(form: Form, world: World, user, as_user: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(form, world))
    def post_hostile(data):
        # Each example in a savepoint that is rolled back, so examples cannot affect each other.
        with transaction.atomic():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            before = row_counts()
            payload = {key: value for key, value in data.items()}
            response = client.post(form.action, payload)
            where = f"POST {form.action} as {as_user} with {_summary(payload)}"
            assert response.status_code < 500, f"{where}: {response.status_code}"
            if response.status_code in (301, 302, 303):
                followed = client.get(response["Location"])
                assert followed.status_code < 500, f"{where}, then GET: {followed.status_code}"
                if "text/html" in followed.get("Content-Type", ""):
                    assert_escaped(followed.content.decode(errors="replace"), where + ", then GET")
            else:
                assert row_counts() == before, f"{where} was refused but changed rows"
                if "text/html" in response.get("Content-Type", ""):
                    assert_escaped(response.content.decode(errors="replace"), where)
            transaction.set_rollback(True)

    post_hostile()


def _summary(payload: dict) -> str:
    def short(value):
        text = repr(value)
        return text if len(text) < 60 else f"{text[:40]}…({len(text)} chars)"

    return "{" + ", ".join(f"{key}: {short(value)}" for key, value in payload.items()) + "}"


def test_the_world_fills_every_url_pattern(world):
    """A new URL kwarg (say `meeting_pk`) needs a builder in world.py before its forms are tested."""
    for route in ROUTES:
        world.url(route)


def test_row_counts_see_a_new_row(world, officer):
    from tests.factories import FindingFactory

    before = row_counts()
    FindingFactory()
    assert row_counts() != before


def test_the_escape_check_would_catch_raw_markup():
    with pytest.raises(AssertionError):
        assert_escaped(f"<p>{MARKUP}</p>", "a page")
    assert_escaped(f"<p>{html.escape(MARKUP)}</p>", "a page")
