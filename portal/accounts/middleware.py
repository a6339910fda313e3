"""Django's authentication middleware, aware of the users each worker keeps (portal.accounts.backends)."""

from django.contrib import auth
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, middleware
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from portal import caching

from .backends import kept_user_key


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        forget_user_kept_from_before_a_password_change(request.session)
        request._cached_user = auth.get_user(request)
    return request._cached_user


def forget_user_kept_from_before_a_password_change(session):
    """Forget the session's user if this worker kept them from before their password changed.

    A member who changes their password gets a session with the new password's hash; their next page may
    reach a worker that still keeps them with the old password (it reads the versions again only within
    the second), and Django would take the mismatch for a stolen session and log them out. Read from the
    database instead, the user matches. (The other way round, a session from before the change on a worker
    that kept the old user, is logged out within the second, when the version is read again.)
    """
    user_id, session_hash = session.get(SESSION_KEY), session.get(HASH_SESSION_KEY)
    if not (caching.caching_enabled() and user_id and session_hash):
        return
    key = kept_user_key(user_id)
    kept = caching.identities_cache().get(key)
    if kept is not None and not constant_time_compare(kept[1].get_session_auth_hash(), session_hash):
        caching.identities_cache().delete(key)
