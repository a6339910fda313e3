"""Login lockout glue for django-axes: the client's address and the page a locked-out login gets."""

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
