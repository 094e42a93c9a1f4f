"""The permission matrix: every URL pattern of the project, for every kind of user.

Each URL pattern must have a row in EXPECTED (a pattern without one fails the test, so no new
page escapes). A row says which capability (accounts.permissions.Capability) a GET and a POST need
on an object of the user's own authority, or None where the method is not offered (405).

Users tried on every row: anonymous (redirected to sign-in), an officer, a manager and a viewer of
the authority that owns the objects, an officer of another authority (404 for the object; a list
page must not show the object's unique marker), and an administrator.

URL keyword arguments are filled from one object of each kind by name:
authority_pk, inspection_pk, finding_pk, action_pk, update_pk, plan_pk, report_pk, membership_pk.
"""

from dataclasses import dataclass

from accounts.permissions import Capability

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


EXPECTED: dict[str, Rule] = {
    # --- ilacs ---
    "health": Rule(get=VIEW, public=True),
    "home": Rule(get=VIEW),
    "accessibility": Rule(get=VIEW, public=True),
    # --- accounts ---
    "accounts:two_factor_verify": Rule(get=VIEW, post=VIEW),
    "accounts:two_factor_setup": Rule(get=VIEW, post=VIEW),
    "accounts:sign_in": Rule(get=VIEW, post=VIEW, public=True),
    "accounts:sign_out": Rule(get=None, post=VIEW),
    # --- inspections ---
    "inspections:authority_detail": Rule(get=VIEW),
    "inspections:inspection_create": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:inspection_detail": Rule(get=VIEW),
    "inspections:inspection_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:judgements_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_create": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:findings_paste": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_edit": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:finding_move": Rule(get=None, post=ADMINISTER),
    "inspections:report_import": Rule(get=ADMINISTER, post=ADMINISTER),
    "inspections:report_import_confirm": Rule(get=None, post=ADMINISTER),
    "inspections:overview_import": Rule(get=ADMINISTER, post=ADMINISTER),
    # --- improvement_plans ---
    # --- dashboards ---
    # --- reports ---
}

# The matrix engine (world of objects, users, and the checks) follows below.
