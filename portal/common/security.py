"""Abuse limits: the client's address; login lockout glue for django-axes (the username it records, the
page a locked-out login gets); rate limits on forms that send e-mail or create accounts (django-ratelimit).
"""

import functools
import ipaddress
import logging
import math

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)


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


def _address_key(request):
    """The client's address as a rate-limit key; an IPv6 client by its /64, which one machine usually holds
    whole (counting single IPv6 addresses, it could take a new one for every request)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def rate_limited(request, *, group, email_field="email"):
    """Count this request against the limits of `group`; the 429 page if it goes beyond one, else None.

    The limits are the settings RATE_LIMIT_<GROUP>_PER_ADDRESS and RATE_LIMIT_<GROUP>_PER_EMAIL (rates
    such as "10/h"); the e-mail address is the POST field `email_field`, compared without case. Counts live
    in the cache (RATELIMIT_USE_CACHE); should it fail, the request goes through and the failure is logged:
    a limit must not take the form down.
    """
    per_address = f"RATE_LIMIT_{group.upper()}_PER_ADDRESS"
    per_email = f"RATE_LIMIT_{group.upper()}_PER_EMAIL"
    keys = [("address", per_address, _address_key(request))]
    email = request.POST.get(email_field, "").strip().lower()
    if email:
        keys.append(("email", per_email, email))
    waits = []
    for name, setting, value in keys:
        try:
            usage = get_usage(
                request,
                group=f"{group}:{name}",
                key=lambda _group, _request, value=value: value,
                rate=getattr(settings, setting),
                increment=True,
            )
        except Exception:
            logger.exception("Rate limit %s by %s not counted: the cache failed.", group, name)
            continue
        if usage is not None and usage["should_limit"]:
            waits.append(max(1, usage["time_left"]))
    if not waits:
        return None
    logger.warning("Rate limit %s reached from %s.", group, _address_key(request))
    return too_many_requests(request, retry_after=max(waits))


def too_many_requests(request, *, retry_after):
    """429 with Retry-After (seconds): a form was sent too often; the page says when to try again."""
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limit_posts(*, group, email_field="email"):
    """View decorator: rate_limited() on every POST (for views such as Django's own auth views)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                refused = rate_limited(request, group=group, email_field=email_field)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
