"""Writes to people and memberships: invitations, who has which role in which authority, switching
an account off. Keyword-only, atomic, validated; every change to a role is kept in the
membership's history with who made it."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import LocalAuthority, Membership
from accounts.tokens import invitation_token_generator
from core.concurrency import EditConflict, save_versioned

security_log = logging.getLogger("ilacs.security")
log = logging.getLogger(__name__)


def membership_create(*, user, authority: LocalAuthority, role: str, by) -> Membership:
    """Gives `user` a role in `authority`. A second role in the same authority is refused."""
    membership = Membership(user=user, authority=authority, role=role)
    membership._history_user = by
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
            # The authority starts reporting in the app the month its first person joins: no
            # month before that is due, overdue or chased (improvement_plans.rules).
            LocalAuthority.objects.filter(pk=authority.pk, reporting_from__isnull=True).update(
                reporting_from=timezone.localdate().replace(day=1)
            )
    except IntegrityError as error:
        raise ValidationError(
            {"username": "This person already has a role in that authority"}
        ) from error
    return membership


def membership_change_role(
    *, membership: Membership, role: str, expected_version: int, by
) -> Membership:
    """Changes the role. Raises EditConflict when someone changed it since
    `expected_version` (the second of two administrators is shown the first one's change)."""
    membership.role = role
    return save_versioned(
        membership, expected_version=expected_version, user=by, update_fields=["role"]
    )


def membership_delete(*, membership: Membership, expected_version: int, by) -> None:
    """Removes the role, unless someone changed it since `expected_version` (EditConflict: the
    person removing it sees what it now is first)."""
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if current is None:
            return  # already removed: what was asked for is done
        if current.version != expected_version:
            raise EditConflict(current)
        current._history_user = by
        current.delete()


# ----- Invitations -------------------------------------------------------------------------------


def person_invite(
    *, email: str, first_name: str, last_name: str, authority: LocalAuthority, role: str, by
) -> tuple[Membership, bool | None]:
    """Gives the person with `email` a role in `authority`, creating their account first if
    there is none (no password: they set one from the invitation's link, or sign in with their
    council account). Returns the membership and whether the invitation was emailed: None for
    someone who already had an account (they simply have the new role)."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise ValidationError(
            {
                "email": "More than one account has this email address. Ask an administrator to "
                "give the person their role"
            }
        )
    with transaction.atomic():
        if matches:
            user, created = matches[0], False
            if not user.is_active:
                raise ValidationError(
                    {
                        "email": "This person's account is switched off. An administrator can "
                        "switch it on"
                    }
                )
        else:
            user = User(
                username=email.lower(),
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise ValidationError(
                    {"email": "Someone already has this email address as their username"}
                    if "username" in error.message_dict
                    else error
                ) from error
            user.save()
            created = True
        try:
            membership = membership_create(user=user, authority=authority, role=role, by=by)
        except ValidationError as error:
            raise ValidationError({"email": error.messages}) from error
    return membership, (invitation_send(membership=membership, by=by) if created else None)


def invitation_link(user) -> str:
    """The one-time link to accept an invitation (accounts.tokens), from SITE_URL."""
    path = reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invitation_send(*, membership: Membership, by) -> bool:
    """Emails the person their invitation to the membership's authority. False (logged) when the
    mail relay refused it: the page says so, and it can be sent again."""
    user = membership.user
    context = {
        "user": user,
        "membership": membership,
        "by": by.get_full_name() or by.get_username(),
        "link": invitation_link(user),
        "service_name": settings.SERVICE_NAME,
        "days": settings.INVITATION_DAYS,
        "sso_enabled": bool(settings.OIDC_RP_CLIENT_ID),
        "password_sign_in": settings.PASSWORD_SIGN_IN,
    }
    try:
        send_mail(
            subject=f"You are invited to use {settings.SERVICE_NAME}",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError:
        log.exception("The invitation to user %s could not be sent", user.pk)
        return False
    security_log.info(
        "invitation sent",
        extra={"event": "invitation", "outcome": "sent", "user_id": user.pk, "by": by.pk},
    )
    return True


# ----- Switching an account off ------------------------------------------------------------------


def person_set_active(*, user, active: bool, by) -> None:
    """Switches a person's account off (or on again). Switching off ends every session they
    have, at once: whatever page they have open, their next request finds them signed out.
    Nobody switches off their own account."""
    if user.pk == by.pk and not active:
        raise ValidationError("You cannot switch off your own account")
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        if not active:
            _end_sessions(user)
    security_log.info(
        "account switched %s",
        "on" if active else "off",
        extra={"event": "account_active", "active": active, "user_id": user.pk, "by": by.pk},
    )


def _end_sessions(user) -> None:
    """Deletes the person's sessions. Sessions are kept in the database and end after
    SESSION_IDLE_MINUTES, so only the few live ones are read."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
