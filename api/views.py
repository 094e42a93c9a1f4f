"""The read-only JSON API, version 1: authorities, inspections, judgements, findings, plans,
actions and monthly updates, each a filtered, paged list.

Every list starts from its model's `for_user` scope (accounts.models.AuthorityScopedQuerySet:
the authorities the token's owner may see, as on every page), so a token never reads more than
its owner; only GET is answered (405 for anything else). Each list runs the same queries
whatever the data size: the token (with its owner), its last use, the count and the page.
States come from improvement_plans.rules, as on the pages.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError

from accounts.models import LocalAuthority, authority_id_field, authority_path
from api import schemas
from api.security import BearerToken, TokenRate
from core.http import allow
from improvement_plans import rules
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    Rag,
    UpdateStatus,
)
from inspections.models import EventType, Finding, FindingKind, Grade, Inspection, Judgement

api = NinjaAPI(
    title="ILACS Tracker API",
    version="1",
    description=(
        "Read-only. Send a personal API token (made on the service's API tokens page) in the "
        "header `Authorization: Bearer <token>`. Each list is paged (`limit`, `offset`, and the "
        "`next` link) and shows only the authorities the token's owner can see."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the description is for tools; no page with scripts from elsewhere
    docs_decorator=allow("GET"),
    auth=BearerToken(),
    throttle=[TokenRate()],
)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request,
        {"detail": "Send a working API token: the header Authorization: Bearer <token>"},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="ILACS Tracker API"'
    return response


def _filtered(queryset, filters: schemas.Filters, *, date_field: str | None):
    """The records of `queryset` (already scoped to the user) that `filters` ask for."""
    if filters.since and filters.until and filters.since > filters.until:
        raise HttpError(422, "since must be on or before until")
    path = authority_path(queryset.model)
    if filters.authority is not None:
        queryset = queryset.filter(**{authority_id_field(queryset.model): filters.authority})
    if filters.region:
        queryset = queryset.filter(**{f"{path}__region" if path else "region": filters.region})
    if date_field and filters.since:
        queryset = queryset.filter(**{f"{date_field}__gte": filters.since})
    if date_field and filters.until:
        queryset = queryset.filter(**{f"{date_field}__lte": filters.until})
    return queryset


def _page(request: HttpRequest, queryset, filters: schemas.Filters, item) -> dict:
    """One page of `queryset` (ordered), each record as `item(record)` gives it, with the links
    to the pages either side, and how many records match in all when asked (`count=true`: on
    the largest lists that reads them all, so only for those who want it). Two queries (three
    with the count): the page's keys, one more than the page holds to know whether a next page
    exists (sorting narrow rows: the records' own columns, and those they are joined to, are
    read for the page only), and the page's records."""
    start, limit = filters.offset, filters.limit
    keys = list(queryset.values_list("pk", flat=True)[start : start + limit + 1])
    more, keys = len(keys) > limit, keys[:limit]
    found = queryset.order_by().in_bulk(keys) if keys else {}
    records = [found[key] for key in keys if key in found]

    def link(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": queryset.count() if filters.count else None,
        "next": link(start + limit) if more else None,
        "previous": link(max(0, start - limit)) if start > 0 else None,
        "results": [item(record) for record in records],
    }


def _person(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


@api.get(
    "/authorities",
    response=schemas.page_of(schemas.AuthorityOut),
    url_name="authorities",
    tags=["Authorities"],
)
def authorities(request: HttpRequest, filters: Query[schemas.Filters]):
    """The authorities you can see, by name. `since` and `until` do not apply."""
    queryset = _filtered(
        LocalAuthority.objects.for_user(request.user).order_by("name", "pk"),
        filters,
        date_field=None,
    )
    return _page(
        request,
        queryset,
        filters,
        lambda a: {
            "id": a.pk,
            "name": a.name,
            "region": a.region,
            "type": a.la_type,
            "ofsted_urn": a.ofsted_urn,
            "la_code": a.la_code,
            "gss_code": a.gss_code,
        },
    )


@api.get(
    "/inspections",
    response=schemas.page_of(schemas.InspectionOut),
    url_name="inspections",
    tags=["Ofsted's record"],
)
def inspections(
    request: HttpRequest, filters: Query[schemas.Filters], event_type: EventType | None = None
):
    """Inspections and visits, newest first. `since` and `until`: the day it started."""
    queryset = Inspection.objects.for_user(request.user).select_related("authority", "framework")
    if event_type:
        queryset = queryset.filter(event_type=event_type)
    queryset = _filtered(queryset, filters, date_field="start_date").order_by("-start_date", "pk")
    return _page(
        request,
        queryset,
        filters,
        lambda i: {
            "id": i.pk,
            "authority_id": i.authority_id,
            "authority": i.authority.name,
            "event_type": i.event_type,
            "event_type_label": i.get_event_type_display(),
            "graded": i.is_graded,
            "framework": i.framework.code,
            "start_date": i.start_date,
            "end_date": i.end_date,
            "published_date": i.published_date,
            "report_published_by_authority_on": i.report_published_by_authority_on,
            "lead_inspector": i.lead_inspector,
            "report_url": i.report_url,
        },
    )


@api.get(
    "/judgements",
    response=schemas.page_of(schemas.JudgementOut),
    url_name="judgements",
    tags=["Ofsted's record"],
)
def judgements(request: HttpRequest, filters: Query[schemas.Filters], grade: Grade | None = None):
    """The grades graded inspections gave, newest inspection first. `since` and `until`: the day
    the inspection started."""
    queryset = Judgement.objects.for_user(request.user).select_related(
        "inspection__authority", "area"
    )
    if grade:
        queryset = queryset.filter(grade=grade)
    queryset = _filtered(queryset, filters, date_field="inspection__start_date").order_by(
        "-inspection__start_date", "inspection_id", "area__order", "pk"
    )
    return _page(
        request,
        queryset,
        filters,
        lambda j: {
            "id": j.pk,
            "inspection_id": j.inspection_id,
            "authority_id": j.inspection.authority_id,
            "authority": j.inspection.authority.name,
            "inspection_start_date": j.inspection.start_date,
            "judgement_area": j.area.code,
            "judgement_area_name": j.area.name,
            "grade": j.grade,
            "grade_label": j.get_grade_display(),
        },
    )


@api.get(
    "/findings",
    response=schemas.page_of(schemas.FindingOut),
    url_name="findings",
    tags=["Ofsted's record"],
)
def findings(
    request: HttpRequest, filters: Query[schemas.Filters], kind: FindingKind | None = None
):
    """Strengths, areas for improvement and areas for priority action, newest inspection first,
    in the report's order. `since` and `until`: the day the inspection started."""
    queryset = Finding.objects.for_user(request.user).select_related(
        "inspection__authority", "judgement_area", "lead"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    queryset = _filtered(queryset, filters, date_field="inspection__start_date").order_by(
        "-inspection__start_date", "inspection_id", "kind", "order", "pk"
    )
    return _page(
        request,
        queryset,
        filters,
        lambda f: {
            "id": f.pk,
            "inspection_id": f.inspection_id,
            "authority_id": f.inspection.authority_id,
            "authority": f.inspection.authority.name,
            "inspection_start_date": f.inspection.start_date,
            "kind": f.kind,
            "kind_label": f.get_kind_display(),
            "order": f.order,
            "title": f.title,
            "text": f.text,
            "judgement_area": f.judgement_area.code if f.judgement_area else None,
            "national_framework_tag": f.national_framework_tag,
            "predecessor_id": f.predecessor_id,
            "lead": _person(f.lead),
        },
    )


@api.get(
    "/plans",
    response=schemas.page_of(schemas.PlanOut),
    url_name="plans",
    tags=["The authority's response"],
)
def plans(request: HttpRequest, filters: Query[schemas.Filters]):
    """Improvement plans, newest inspection first. `since` and `until`: the day the inspection
    started."""
    queryset = ImprovementPlan.objects.for_user(request.user).select_related(
        "inspection__authority"
    )
    queryset = _filtered(queryset, filters, date_field="inspection__start_date").order_by(
        "-inspection__start_date", "pk"
    )
    return _page(
        request,
        queryset,
        filters,
        lambda p: {
            "id": p.pk,
            "inspection_id": p.inspection_id,
            "authority_id": p.inspection.authority_id,
            "authority": p.inspection.authority.name,
            "inspection_start_date": p.inspection.start_date,
            "submitted_on": p.submitted_on,
            "accepted_on": p.accepted_on,
            "notes": p.notes,
        },
    )


@api.get(
    "/actions",
    response=schemas.page_of(schemas.ActionOut),
    url_name="actions",
    tags=["The authority's response"],
)
def actions(
    request: HttpRequest, filters: Query[schemas.Filters], status: ActionStatus | None = None
):
    """The plans' actions, in the order they were recorded. `since` and `until`: the due
    date."""
    today = timezone.localdate()
    queryset = Action.objects.for_user(request.user).select_related(
        "area_for_improvement__inspection__authority"
    )
    if status:
        queryset = queryset.filter(status=status)
    # In the order recorded (the primary key): a page of a large table is read along its index.
    queryset = _filtered(queryset, filters, date_field="due_date").order_by("pk")
    return _page(
        request,
        queryset,
        filters,
        lambda a: {
            "id": a.pk,
            "area_for_improvement_id": a.area_for_improvement_id,
            "authority_id": a.area_for_improvement.inspection.authority_id,
            "authority": a.area_for_improvement.inspection.authority.name,
            "description": a.description,
            "owner": a.owner,
            "due_date": a.due_date,
            "status": a.status,
            "status_label": a.get_status_display(),
            "completed_on": a.completed_on,
            "complete": rules.action_complete_by(a, today),
            "late": rules.action_late(a, today),
        },
    )


@api.get(
    "/updates",
    response=schemas.page_of(schemas.UpdateOut),
    url_name="updates",
    tags=["The authority's response"],
)
def updates(
    request: HttpRequest,
    filters: Query[schemas.Filters],
    status: UpdateStatus | None = None,
    rag: Rag | None = None,
):
    """Monthly progress updates, in the order they were recorded. `since` and `until`: the
    month (its first day)."""
    queryset = ProgressUpdate.objects.for_user(request.user).select_related(
        "area_for_improvement__inspection__authority", "author", "reviewed_by"
    )
    if status:
        queryset = queryset.filter(status=status)
    if rag:
        queryset = queryset.filter(rag=rag)
    # In the order recorded (the primary key): a page of the largest table is read along its
    # index, not sorted whole.
    queryset = _filtered(queryset, filters, date_field="month").order_by("pk")
    return _page(
        request,
        queryset,
        filters,
        lambda u: {
            "id": u.pk,
            "area_for_improvement_id": u.area_for_improvement_id,
            "area_for_improvement": u.area_for_improvement.title,
            "authority_id": u.area_for_improvement.inspection.authority_id,
            "authority": u.area_for_improvement.inspection.authority.name,
            "month": u.month,
            "rag": u.rag,
            "status": u.status,
            "state": rules.MonthState(u.status).label,
            "reported": rules.is_reported(u),
            "author": _person(u.author),
            "submitted_at": u.submitted_at,
            "reviewed_by": _person(u.reviewed_by),
            "reviewed_at": u.reviewed_at,
            "review_comment": u.review_comment,
            "what_was_done": u.what_was_done,
            "impact": u.impact,
            "evidence": u.evidence,
            "next_steps": u.next_steps,
        },
    )


LISTS = ("authorities", "inspections", "judgements", "findings", "plans", "actions", "updates")


@allow("GET")
def index(request: HttpRequest, **kwargs) -> JsonResponse:
    """The API's address: where its description and its lists are. Public: it holds no data."""
    return JsonResponse(
        {
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "lists": {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in LISTS},
            "authentication": "Authorization: Bearer <token>",
        }
    )
