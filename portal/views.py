"""Portal-wide pages and the pages that combine several apps (the top layer): the home page, a member's
home, the companies that fit a listing, the language switch, the health check and the server-error page."""

import logging
import sys
import uuid

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader

from matching.consultations.booking import selectors as booking_selectors
from matching.demands.models import Demand
from matching.demands.selectors import demands_editable_by
from matching.kernel import permissions
from matching.kernel.models import ApprovalStatus
from matching.recommendations.selectors import Matches, companies_for_demand, dashboard_matches, page_context
from portal import homes, selectors
from portal.accounts import services
from portal.accounts.forms import InvitationForm
from portal.common.pages import path_on_this_site

logger = logging.getLogger(__name__)

# Seconds a client (or a load balancer) is asked to wait when the database is down.
RETRY_AFTER_SECONDS = 10


def home(request):
    context = {"figures": selectors.portal_figures(), "events": selectors.event_summaries()}
    return render(request, "home.html", context)


@login_required
def member_home(request):
    """Everyone's own page after login: a member's next meetings, what waits for their answer, their
    organisation (its review state, members) and the matches; staff their centre's events and what needs
    them today."""
    organisation = request.user.organisation
    members = organisation.members.order_by("username") if organisation is not None else []
    invitation_form = InvitationForm() if permissions.may(request.user, "invite_colleagues") else None
    context = {"organisation": organisation, "members": members, "invitation_form": invitation_form}
    context |= dashboard_matches(request.user)
    meeting_requests = booking_selectors.meeting_requests_for_member(request.user).with_on_behalf()
    context["meeting_requests"] = list(meeting_requests[:10])
    to_answer = booking_selectors.requests_to_answer(request.user)
    context["requests_to_answer"] = set(to_answer.values_list("pk", flat=True))
    context["meeting_requests_waiting"] = homes.meeting_requests_waiting(
        context["meeting_requests"], context["requests_to_answer"]
    )
    if permissions.is_member(request.user):
        context["next_meetings"] = homes.next_meetings(request.user)
        context |= homes.waiting_for(request.user)
        context |= homes.new_matches(request.user, context)
        homes.matches_seen(request.user)
    elif permissions.is_centre_staff(request.user):
        context |= homes.centre_today(request.user)
    return render(request, "accounts/home.html", context)


@login_required
def demand_matches(request, pk):
    """The companies that fit a listing, for its buyer, its centre's staff and admins.

    It lives in the top layer because it combines recommendations with consultations: staff can request
    a meeting from it at an event where both the company and the buyer are registered.
    """
    demand = get_object_or_404(
        demands_editable_by(request.user).select_related("buyer", "city__country"), pk=pk
    )
    ranked = demand.status == Demand.Status.OPEN and demand.buyer.approval_status == ApprovalStatus.APPROVED
    matches = companies_for_demand(demand) if ranked else Matches(fits=[], weaker=[])
    if permissions.may(request.user, "run_events"):
        booking_selectors.attach_shared_registrations(
            matches.fits + matches.weaker, demand.buyer, request.user
        )
    context = {"demand": demand, "ranked": ranked, "about": "company"} | page_context(matches)
    return render(request, "recommendations/demand_matches.html", context)


def language_switch(request, code):
    """Switch the interface language (a cookie) and go back to `next`, a path of this site.

    A link, not a form: pages then carry no CSRF token for visitors, so the directories can be kept
    for them (portal.pages.cached_for_visitors). Forcing someone's language is all a forged link could do.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    if request.user.is_authenticated and request.user.language != code:
        # A member's chosen language is their settings' (portal.accounts.middleware): switching changes it.
        services.user_preferences_save(
            user=request.user,
            language=code,
            time_zone=request.user.time_zone,
            buddhist_era=request.user.buddhist_era,
            meeting_reminders=request.user.meeting_reminders,
        )
    response = HttpResponseRedirect(path_on_this_site(request, request.GET.get("next", ""), "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _database_is_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unavailable: %s", error)
        return False
    return True


def _storage_is_up():
    """Uploads (logos, brochures, MOU scans) can be written, read back and deleted."""
    name = f"healthz/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        try:
            with default_storage.open(saved) as stored:
                readable = stored.read() == b"ok"
        finally:
            default_storage.delete(saved)
    except OSError as error:
        logger.warning("Health check: upload storage unavailable: %s", error)
        return False
    if not readable:
        logger.warning("Health check: upload storage returned other bytes than were written")
    return readable


def _cache_is_up():
    """The cache (Redis in production: sessions, pages, rate limits, and the task queue's broker) answers."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        readable = cache.get(key) == "ok"
        cache.delete(key)
    except redis.RedisError as error:
        logger.warning("Health check: cache unavailable: %s", error)
        return False
    return readable


HEALTH_CHECKS = {"database": _database_is_up, "storage": _storage_is_up, "cache": _cache_is_up}


def healthz(request):
    """200 when every dependency answers; 503 with Retry-After naming the ones that do not.

    {"status": "ok", "database": "up", "storage": "up"}, or for example
    {"status": "unavailable", "database": "down", "storage": "up", "down": ["database"]}.
    """
    states = {name: "up" if check() else "down" for name, check in HEALTH_CHECKS.items()}
    down = [name for name, state in states.items() if state == "down"]
    if down:
        return JsonResponse(
            {"status": "unavailable", **states, "down": down},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JsonResponse({"status": "ok", **states})


def _dependency_unavailable(error):
    """Whether `error`, or an exception it was raised from or while handling, says the database or Redis
    cannot be reached: Django's wrapped errors, the driver's own where one escapes unwrapped (it happened
    once while PostgreSQL was killed under load), and Redis's lost or refused connections (sessions and
    pages are read from it)."""
    driver = connection.Database
    unavailable = (
        OperationalError,
        InterfaceError,
        driver.OperationalError,
        driver.InterfaceError,
        redis.ConnectionError,
        redis.TimeoutError,
    )
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, unavailable):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """handler500: a database or Redis that is down or restarting is a 503 with Retry-After, not a 500.

    Rendered without the request's context (no user, session or messages), so it reads nothing from
    the database. Django has already logged the exception.
    """
    if _dependency_unavailable(sys.exc_info()[1]):
        page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        return HttpResponse(page, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return HttpResponse(loader.render_to_string("500.html"), status=500)
