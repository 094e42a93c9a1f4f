"""Who may do what, for which authority. Every view asks here; none decides by hand.

Rules (docs/domain.md, "The people and their jobs" and "Published and internal data"):
- What Ofsted published (the authorities, their inspections, judgements and findings: models
  that declare `PUBLISHED = True`) is readable by anyone signed in, for every authority
  (`get_published_for_user`, `is_member`).
- An authority's own data (plans, actions, updates, deadlines met, committee papers, its people)
  is seen only by those with a role in it; administrators see all. Every write needs a role's
  capability in the authority, published data included (only administrators record inspections).
- Another authority's object is a 404 (its existence is not revealed); an object the user may
  read but not change is a 403 when they try to change it.
- Four eyes: nobody reviews what they wrote or submitted themselves (a 403).

Every refusal is raised here and logged here, once, to "ilacs.security".
"""

from __future__ import annotations

import enum
import logging

from django.core.exceptions import PermissionDenied
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.http import Http404

from accounts.models import LocalAuthority, Membership, Role, authority_id_field, authority_id_of

security_log = logging.getLogger("ilacs.security")


def _log_refusal(user, status: int, reason: str, **context) -> None:
    """Every refused access is logged to "ilacs.security" (who, what, why), then refused."""
    security_log.warning(
        "access refused: %s",
        reason,
        extra={
            "event": "access_refused",
            "status": status,
            "reason": reason,
            "user_id": getattr(user, "pk", None),
            **context,
        },
    )


class Capability(enum.Enum):
    """What a user may do in one authority, and which roles have it (administrators: all)."""

    VIEW = frozenset({Role.OFFICER, Role.MANAGER, Role.VIEWER})
    # Log monthly updates, keep actions' status current.
    EDIT_PROGRESS = frozenset({Role.OFFICER, Role.MANAGER})
    # Approve or return updates; manage the plan, its actions and its submission to Ofsted;
    # draft, edit and finalise committee reports; invite people and give them roles.
    MANAGE = frozenset({Role.MANAGER})
    # Record inspections, judgements and findings; import reports; give roles in any authority
    # and switch accounts off. (Senior managers invite people and give roles in their own
    # authority: MANAGE.)
    ADMINISTER = frozenset()


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def role_in(user, authority: LocalAuthority | int) -> str | None:
    """The user's role in the authority, or None. One query (none for administrators)."""
    if not user.is_authenticated:
        return None
    authority_id = authority if isinstance(authority, int) else authority.pk
    return (
        # order_by(): the model's default ordering would join users and authorities for nothing.
        Membership.objects.filter(user=user, authority_id=authority_id)
        .order_by()
        .values_list("role", flat=True)
        .first()
    )


def roles_of(user) -> dict[int, str]:
    """The user's role in each of their authorities, by authority id, for a page that lists
    several authorities (with `role_has`). One query (none for administrators, who need none,
    and for a signed-out or switched-off person, who has none)."""
    if not user.is_authenticated or not user.is_active or is_administrator(user):
        return {}
    return dict(Membership.objects.filter(user=user).order_by().values_list("authority_id", "role"))


def has_capability(user, authority: LocalAuthority | int, capability: Capability) -> bool:
    if is_administrator(user):
        return True
    role = role_in(user, authority)
    return role is not None and role in capability.value


def capabilities_in(user, authority: LocalAuthority | int) -> frozenset[Capability]:
    """Everything the user may do in the authority, for a page that offers several links. One
    query (none for administrators)."""
    if is_administrator(user):
        return frozenset(Capability)
    role = role_in(user, authority)
    return frozenset(c for c in Capability if role_has(user, role, c))


def authorities_where(user, capability: Capability) -> QuerySet[LocalAuthority]:
    """The authorities where `user` has `capability`: all of them for administrators, none for
    a signed-out or switched-off person."""
    if is_administrator(user):
        return LocalAuthority.objects.all()
    if not user.is_authenticated or not user.is_active:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=capability.value).values(
            "authority_id"
        )
    )


def with_role_of[Q: QuerySet](queryset: Q, user) -> Q:
    """The rows annotated with `user_role`: the user's role in each row's authority (None when
    they have none), read in the same query, for a page that shows links by capability."""
    return queryset.annotate(
        user_role=Subquery(
            Membership.objects.filter(
                user_id=user.pk, authority_id=OuterRef(authority_id_field(queryset.model))
            )
            .order_by()
            .values("role")[:1]
        )
    )


def role_has(user, role: str | None, capability: Capability) -> bool:
    """Whether `user`, with `role` in an authority (from `role_in` or `with_role_of`), has
    `capability` there."""
    return is_administrator(user) or (role is not None and role in capability.value)


def require(user, authority: LocalAuthority | int, capability: Capability) -> None:
    """Raises 404 if the user cannot see the authority at all, 403 if they may see but not do."""
    if is_administrator(user):
        return
    role = role_in(user, authority)
    authority_id = authority if isinstance(authority, int) else authority.pk
    if role is None:
        _log_refusal(user, 404, "not a member", authority_id=authority_id)
        raise Http404("No such page")
    if role not in capability.value:
        _log_refusal(
            user,
            403,
            "role lacks capability",
            authority_id=authority_id,
            role=role,
            capability=capability.name,
        )
        raise PermissionDenied


def require_administrator(user) -> None:
    """For what no authority's role allows (imports not yet tied to an authority, giving roles
    across authorities): 403 for anyone but an administrator."""
    if not is_administrator(user):
        _log_refusal(user, 403, "not an administrator", capability=Capability.ADMINISTER.name)
        raise PermissionDenied


def require_somewhere(user, capability: Capability) -> None:
    """For a page about several authorities (People and roles): 403 unless the user has
    `capability` in at least one of them. One query (none for administrators)."""
    if is_administrator(user):
        return
    if not Membership.objects.filter(user=user, role__in=capability.value).exists():
        _log_refusal(user, 403, "role lacks capability anywhere", capability=capability.name)
        raise PermissionDenied


def may_review(user, obj) -> bool:
    """Four eyes (docs/domain.md, "Approval"): whether `user` is none of the people who wrote or
    submitted `obj` (its `writer_ids`), so may review it."""
    return user.pk not in obj.writer_ids


def require_four_eyes(user, obj) -> None:
    """403 when `user` wrote or submitted `obj`, which they are about to approve or return:
    someone else must review it, whatever their role, administrators included."""
    if not may_review(user, obj):
        _log_refusal(
            user,
            403,
            "four eyes: own work",
            authority_id=authority_id_of(obj),
            model=obj._meta.label,
            object_id=obj.pk,
        )
        raise PermissionDenied


def get_for_user[M: Model](
    queryset: QuerySet[M],
    user,
    *,
    capability: Capability = Capability.VIEW,
    **lookup,
) -> M:
    """Fetches one object through the model's `for_user` scope: 404 when it is not the user's,
    403 when the user may read it but not do `capability` (in the authority its model's
    AUTHORITY_PATH leads to).
    """
    try:
        obj = queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, 404, "no such object for user", model=queryset.model._meta.label)
        raise Http404("No such page") from None
    if capability is not Capability.VIEW:
        require(user, authority_id_of(obj), capability)
    return obj


def get_authority_for_user(user, pk, *, capability: Capability = Capability.VIEW) -> LocalAuthority:
    return get_for_user(LocalAuthority.objects.all(), user, capability=capability, pk=pk)


def get_published_for_user[M: Model](queryset: QuerySet[M], user, **lookup) -> M:
    """Fetches one published object (its model declares `PUBLISHED = True`) for reading: any
    signed-in, active person, whatever authority it belongs to; 404 when there is no such
    object. Never for a write: writes go through `get_for_user` with a capability. A TypeError
    for an internal model (accounts.models.is_published)."""
    published = queryset.published_for(user)  # a TypeError for an internal model
    try:
        return published.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, 404, "no such published object", model=queryset.model._meta.label)
        raise Http404("No such page") from None


def is_member(user, authority: LocalAuthority | int) -> bool:
    """Whether `user` may see the authority's own (internal) data beside what was published: a
    role in it, or an administrator. One query (none for administrators)."""
    return has_capability(user, authority, Capability.VIEW)
