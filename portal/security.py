"""Login lockout glue for django-axes: the client's address, the username it records and the page a
locked-out login gets."""

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The address a login attempt came from.

    Behind TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For, the client is that many
    entries from the right (entries further left are whatever the client claimed and are not trusted).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """429 with Retry-After: logins for this username from this address wait until the cool-off ends."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cool_off.total_seconds() // 60))
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# django-axes stores usernames in a 255-character column (AccessAttempt, AccessFailureLog).
AXES_USERNAME_LENGTH = 255


def login_username(request, credentials=None):
    """What was typed as the username, without NUL bytes and cut to the length axes can store.

    A longer name belongs to no account (usernames have at most 150 characters), so cutting it merges
    no real user's attempts; without the cut, such a login failed with a database error (a 500).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field) if request is not None else None
    if username is None:
        return None
    return str(username).replace("\x00", "")[:AXES_USERNAME_LENGTH]
