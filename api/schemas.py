"""What the API answers with: one schema per kind of record, and a page of them. The OpenAPI
description (/api/v1/openapi.json) is generated from these."""

import datetime

from ninja import Field, Schema
from pydantic import create_model

# The largest id (and offset) the databases' 64-bit integers hold.
MAX_ID = 2**63 - 1


class Filters(Schema):
    """The filters and paging every list takes."""

    authority: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Only this authority's records (its id, from /authorities)",
    )
    region: str | None = Field(None, description="Only authorities of this region, such as London")
    since: datetime.date | None = Field(
        None, description="On or after this day (YYYY-MM-DD); which date, each list says"
    )
    until: datetime.date | None = Field(
        None, description="On or before this day (YYYY-MM-DD); which date, each list says"
    )
    limit: int = Field(100, ge=1, le=1000, description="Records per page (at most 1,000)")
    offset: int = Field(0, ge=0, le=MAX_ID, description="Records to skip: the page's start")
    count: bool = Field(
        False,
        description="Also count every record matching the filters (`count` in the answer; "
        "on the largest lists, this reads them all)",
    )


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of `item`s: how many there are in all, links to the next and previous pages (the
    same query, the offset moved), and this page's records."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(
            int | None,
            Field(description="Records matching the filters when asked with count=true; else null"),
        ),
        next=(str | None, Field(description="The next page's address; null on the last")),
        previous=(str | None, Field(description="The previous page's address; null on the first")),
        results=(list[item], ...),
    )


class AuthorityOut(Schema):
    id: int
    name: str
    region: str
    type: str
    ofsted_urn: str
    la_code: str = Field(description="The DfE three-digit LA code")
    gss_code: str = Field(description="The ONS GSS code")


class InspectionOut(Schema):
    id: int
    authority_id: int
    authority: str
    event_type: str = Field(description="standard, short, sif, focused_visit, ...")
    event_type_label: str
    graded: bool
    framework: str = Field(description="SIF-2013, ILACS-2018, ILACS-2023 or ILACS-2026")
    start_date: datetime.date
    end_date: datetime.date
    published_date: datetime.date | None
    report_published_by_authority_on: datetime.date | None
    lead_inspector: str
    report_url: str


class JudgementOut(Schema):
    id: int
    inspection_id: int
    authority_id: int
    authority: str
    inspection_start_date: datetime.date
    judgement_area: str = Field(
        description="The judgement area's code, such as overall_effectiveness"
    )
    judgement_area_name: str
    grade: str = Field(description="outstanding, good, requires_improvement or inadequate")
    grade_label: str


class FindingOut(Schema):
    id: int
    inspection_id: int
    authority_id: int
    authority: str
    inspection_start_date: datetime.date
    kind: str = Field(description="strength, area_for_improvement or priority_action")
    kind_label: str
    order: int
    title: str
    text: str
    judgement_area: str | None
    national_framework_tag: str
    predecessor_id: int | None = Field(description="The same weakness at an earlier inspection")
    lead: str | None = Field(description="The officer who reports on it each month")


class PlanOut(Schema):
    id: int
    inspection_id: int
    authority_id: int
    authority: str
    inspection_start_date: datetime.date
    submitted_on: datetime.date | None = Field(description="The date it was sent to Ofsted")
    accepted_on: datetime.date | None
    notes: str


class ActionOut(Schema):
    id: int
    area_for_improvement_id: int
    authority_id: int
    authority: str
    description: str
    owner: str
    due_date: datetime.date
    status: str = Field(description="not_started, in_progress or complete")
    status_label: str
    completed_on: datetime.date | None
    complete: bool = Field(description="Complete by today (the rules' action complete by a day)")
    late: bool = Field(description="Not complete by today and past its due date")


class UpdateOut(Schema):
    id: int
    area_for_improvement_id: int
    area_for_improvement: str
    authority_id: int
    authority: str
    month: datetime.date = Field(description="The first day of the month it reports on")
    rag: str = Field(description="red, amber, green or complete")
    status: str = Field(description="draft, submitted, returned or approved")
    state: str = Field(description="The month's state in words, as the pages show it")
    reported: bool = Field(description="Submitted or approved (the rules' reported)")
    author: str
    submitted_at: datetime.datetime | None
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None
    review_comment: str
    what_was_done: str
    impact: str
    evidence: str
    next_steps: str
