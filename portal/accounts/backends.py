"""Django's password login, with the user's organisation read in the same query, and the user kept in
each worker's memory between pages.

Every page's navigation names the user's organisation (company, buyer or trade centre): reading it with
the user saves a query on every page a logged-in user opens. The user is then kept under the identities
version (portal.caching), which any change to a user, organisation or trade centre raises once it is
committed: every worker of every app server reads the user again within CACHE_VERSION_SECONDS, so a
deactivated account or a changed password or role takes effect everywhere within that second.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal import caching

ORGANISATIONS = ("company", "buyer_organisation", "trade_centre")


def kept_user_key(user_id):
    return f"user:{user_id}"


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = self._kept_user(user_id) if caching.caching_enabled() else self._read_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def _read_user(self, user_id):
        return get_user_model()._default_manager.select_related(*ORGANISATIONS).filter(pk=user_id).first()

    def _kept_user(self, user_id):
        # The cache hands out a copy each time: what one page does to its user object never reaches
        # another page (Django keeps permission caches on it, for one).
        known = caching.version(caching.IDENTITIES)
        key = kept_user_key(user_id)
        kept = caching.identities_cache().get(key)
        if kept is not None and kept[0] == known:
            return kept[1]
        user = self._read_user(user_id)
        if user is not None:
            caching.identities_cache().set(key, (known, user), caching.IDENTITY_SECONDS)
        return user
