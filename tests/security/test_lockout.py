"""Sign-in protection: 10 failed attempts within 5 minutes for one username from one address
lock that combination out, even for the right password; every attempt is logged."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
PASSWORD = "correct horse battery staple"


def _attempt(client, password, *, username="officer", address="203.0.113.7"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail_ten_times(client, **kwargs):
    responses = [_attempt(client, f"wrong guess {n}", **kwargs) for n in range(10)]
    # The first nine are ordinary wrong-password errors; the tenth locks the account out.
    assert [r.status_code for r in responses[:9]] == [200] * 9
    assert responses[9].status_code == 429
    return responses


def test_the_eleventh_attempt_is_refused_even_with_the_right_password(client, officer):
    _fail_ten_times(client)
    response = _attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "You cannot sign in for now" in html
    assert "govuk-heading-l" in html  # the service's own GOV.UK page
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_nine_failures_do_not_lock_and_a_success_clears_them(client, officer):
    for n in range(9):
        _attempt(client, f"wrong {n}")
    assert _attempt(client, PASSWORD).status_code == 302
    client.post(reverse("accounts:sign_out"))
    for n in range(9):
        assert _attempt(client, f"wrong again {n}").status_code == 200
    assert _attempt(client, PASSWORD).status_code == 302


def test_the_lockout_is_per_account_and_address(client, officer, manager):
    _fail_ten_times(client)
    # The same person from another address, and another person from the same address, may sign in.
    assert _attempt(client, PASSWORD, address="198.51.100.20").status_code == 302
    client.post(reverse("accounts:sign_out"))
    assert _attempt(client, PASSWORD, username="manager").status_code == 302


def test_the_lockout_ends_five_minutes_after_the_last_attempt(client, officer):
    _fail_ten_times(client)
    assert _attempt(client, PASSWORD).status_code == 429
    # Five minutes pass without another attempt.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - datetime.timedelta(minutes=5, seconds=1)
    )
    assert _attempt(client, PASSWORD).status_code == 302


def test_failures_spread_over_more_than_five_minutes_do_not_lock(client, officer):
    for n in range(9):
        _attempt(client, f"wrong {n}")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=6)
    )
    assert _attempt(client, "wrong once more").status_code == 200  # not the 10th in 5 minutes
    assert _attempt(client, PASSWORD).status_code == 302


def test_every_sign_in_attempt_is_logged(client, officer, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    _attempt(client, "wrong")
    _attempt(client, PASSWORD)
    records = [r for r in caplog.records if r.name == "ilacs.security"]
    assert [(r.event, r.outcome, r.username, r.ip) for r in records] == [
        ("sign_in", "failure", "officer", "203.0.113.7"),
        ("sign_in", "success", "officer", "203.0.113.7"),
    ]
    assert all("wrong" not in r.getMessage() and PASSWORD not in str(r.__dict__) for r in records)


def test_a_locked_out_attempt_is_logged_as_such(client, officer, caplog):
    _fail_ten_times(client)
    caplog.set_level("INFO", logger="ilacs.security")
    caplog.clear()
    _attempt(client, PASSWORD)
    (record,) = [r for r in caplog.records if r.name == "ilacs.security"]
    assert record.outcome == "locked_out"


def test_the_admin_sign_in_goes_through_the_protected_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/admin/"


def test_a_signed_in_person_without_staff_access_is_told_not_looped(client, officer):
    client.force_login(officer)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
    assert len(response.redirect_chain) == 1  # /admin/ to its sign-in, then the answer


# ----- Password spraying: a few passwords on each of many usernames, from one address ----------


def test_a_password_spray_from_one_address_is_stopped_after_30_failures(client, officer, settings):
    """Eight accounts, two guesses each (sixteen), is not yet stopped; thirty failures from the
    address within 15 minutes, whatever the usernames, and every sign-in from it is refused with
    the same page, the right password included; other addresses are not."""
    assert (settings.SIGN_IN_ADDRESS_LIMIT, settings.SIGN_IN_ADDRESS_MINUTES) == (30, 15)
    usernames = [f"person{n}" for n in range(15)]
    statuses = [
        _attempt(client, f"Summer2026!{guess}", username=username).status_code
        for guess in range(2)
        for username in usernames
    ]
    assert statuses == [200] * 30  # no username reached its own limit of 10
    response = _attempt(client, PASSWORD)  # the right password, a username not tried
    assert response.status_code == 429
    assert "You cannot sign in for now" in response.content.decode()
    assert _attempt(client, PASSWORD, address="198.51.100.20").status_code == 302


def test_failures_from_an_address_older_than_15_minutes_do_not_count(client, officer):
    from axes.models import AccessFailureLog

    for n in range(29):
        _attempt(client, "wrong", username=f"person{n}")
    AccessFailureLog.objects.update(
        attempt_time=AccessFailureLog.objects.latest("attempt_time").attempt_time
        - datetime.timedelta(minutes=15, seconds=1)
    )
    AccessAttempt.objects.all().delete()  # (the per-account count has long cooled off too)
    _attempt(client, "wrong", username="one.more")
    assert _attempt(client, PASSWORD).status_code == 302
