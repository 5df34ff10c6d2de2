"""How a sign-in locked out by django-axes is answered: one message, a page, and an API error.

Axes counts failed sign-ins per username and client address (settings ``AXES_*``). A failed attempt
during the lockout starts the cool-off again, so the full cool-off is always the true wait.
"""

from math import ceil

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException

API_PREFIX = "/api/"


def client_address(request) -> str | None:
    """The client's address for the lockout (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR``, unless ``TRUSTED_PROXY_COUNT`` reverse proxies stand in front of the app: each appends
    the address it was reached from to ``X-Forwarded-For``, so the client is the entry that many from the
    end. Entries before it are the client's own to forge, and are never used.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def retry_after_seconds() -> int:
    """Seconds until a locked-out username and address may try again."""
    return int(get_cool_off().total_seconds())


def lockout_message() -> str:
    """The sentence shown on the page and in the API error, saying when to try again."""
    minutes = ceil(retry_after_seconds() / 60)
    wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return f"Too many failed sign-in attempts. Try again in {wait}."


def lockout_response(request, original_response=None, credentials=None):
    """Answer a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``): a 429 page, or the API error shape under /api/."""
    message = lockout_message()
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message, "errors": {}}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    response["Retry-After"] = str(retry_after_seconds())
    return response


class SignInLockedOut(APIException):
    """The API's answer to a locked-out token request: 429 with ``Retry-After`` (set by DRF from ``wait``)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())
        self.wait = retry_after_seconds()
