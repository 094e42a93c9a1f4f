"""A double click never creates two: every form that creates something carries a one-time token.

The page renders `{% one_time_token %}` (core/templatetags/once.py) inside the form: a hidden
field with a new random token. The view is decorated with `@creates_once` and marks the response
to a successful creation with `created(...)`. On a POST with a token:

- a token this person has already used leads to the page of what its first post created, saying
  so, and nothing is saved again;
- otherwise the token is claimed (a row in `core.models.FormSubmission`) in the same transaction
  as the view's work. A creation keeps the claim with the created thing's page; anything else (a
  form with errors, a refusal) gives the token back, so the corrected form can be sent with it.
  Two posts sent at once cannot both create: the second's claim waits on the first's row and is
  then refused by the unique constraint, and the second is led to the first's creation.

A POST without a token (a script, an older page) is served as it always was.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.models import FormSubmission

FIELD = "one_time_token"
ALREADY_DONE = (
    "This form was sent more than once. It was saved the first time only: this is what was saved."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def created(response: HttpResponseRedirect) -> HttpResponseRedirect:
    """Marks a view's redirect as the page of what a creating form created."""
    response.created_once = True
    return response


def _already_done(request: HttpRequest, token: str) -> HttpResponse | None:
    url = (
        FormSubmission.objects.filter(user=request.user, token=token)
        .values_list("url", flat=True)
        .first()
    )
    if url is None:
        return None
    messages.info(request, ALREADY_DONE)
    return HttpResponseRedirect(url)


def creates_once(view: Callable) -> Callable:
    """The view creates something on a POST; a second POST of the same form creates nothing
    (module docstring). Put it inside @login_required: the tokens are per person."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or len(token) > 64 or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if (done := _already_done(request, token)) is not None:
            return done
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(user=request.user, token=token, url="")
                response = view(request, *args, **kwargs)
                if getattr(response, "created_once", False):
                    claim.url = response.url
                    claim.save(update_fields=["url"])
                else:
                    claim.delete()
        except IntegrityError:
            # The claim collided: a post of the same form got there first.
            if (done := _already_done(request, token)) is not None:
                return done
            raise
        return response

    wrapper.creates_once = True
    return wrapper
