"""Django's password login, with the user's organisation read in the same query, and the user kept in
each worker's memory between pages.

Every page's navigation names the user's organisation (company, buyer or trade centre): reading it with
the user saves a query on every page a logged-in user opens. The user is then kept under the identities
version (portal.caching), which any change to a user, organisation, trade centre or group raises once it
is committed: every worker of every app server reads the user again within CACHE_VERSION_SECONDS, so a
deactivated account or a changed password or role takes effect everywhere within that second.
"""

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.crypto import constant_time_compare

from portal import caching

ORGANISATIONS = ("company", "buyer_organisation", "trade_centre")


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._kept_user(user_id) if caching.caching_enabled() else self._read_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _read_user(self, user_id):
        return get_user_model()._default_manager.select_related(*ORGANISATIONS).filter(pk=user_id).first()

    @staticmethod
    def _kept_key(user_id):
        return f"user:{user_id}"

    def _kept_user(self, user_id):
        # The cache hands out a copy each time: what one page does to its user object never reaches
        # another page (Django keeps permission caches on it, for one).
        known = caching.version(caching.IDENTITIES)
        key = self._kept_key(user_id)
        kept = caching.identities_cache().get(key)
        if kept is not None and kept[0] == known:
            return kept[1]
        user = self._read_user(user_id)
        if user is not None:
            caching.identities_cache().set(key, (known, user), caching.KEPT_SECONDS)
        return user


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
    key = PortalBackend._kept_key(user_id)
    kept = caching.identities_cache().get(key)
    if kept is not None and not constant_time_compare(kept[1].get_session_auth_hash(), session_hash):
        caching.identities_cache().delete(key)
