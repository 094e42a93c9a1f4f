import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")


def test_it_signs_in_with_the_right_password_and_goes_home(client, officer):
    response = client.post(
        SIGN_IN, {"username": "officer", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == officer


def test_wrong_credentials_give_a_govuk_error_summary(client, officer):
    response = client.post(SIGN_IN, {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in" in html
    assert 'class="govuk-error-summary"' in html
    assert "Enter a correct username and password" in html
    assert '<a href="#id_username">' in html  # the summary links to the field
    assert "_auth_user_id" not in client.session


def test_blank_fields_get_one_message_each(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    html = response.content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert 'class="govuk-error-message"' in html


def test_it_redirects_to_next_after_signing_in(client, officer):
    response = client.post(
        f"{SIGN_IN}?next=/accessibility/",
        {
            "username": "officer",
            "password": "correct horse battery staple",
            "next": "/accessibility/",
        },
    )
    assert response["Location"] == "/accessibility/"


def test_it_refuses_a_next_address_on_another_site(client, officer):
    response = client.post(
        SIGN_IN,
        {
            "username": "officer",
            "password": "correct horse battery staple",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_signing_out_is_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_home_page_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)
