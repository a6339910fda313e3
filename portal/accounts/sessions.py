"""Sessions in the database, read through each worker's memory (SESSION_ENGINE).

A logged-in member's page would otherwise start with a query for the session. The session's data is kept
with its expiry date under the sessions version (portal.caching): any change to a session that already
existed (its data changed, a logout, a login that replaced it) raises that version once committed, so
every worker of every app server reads sessions from the database again within CACHE_VERSION_SECONDS.
Users stay kept (portal.accounts.backends): a logout costs the other members one query each.
A session made during the request (a login) is in nobody's memory and raises nothing.
"""

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import db
from django.utils import timezone

from portal import caching


def _kept_key(session_key):
    return f"session:{session_key}"


class SessionStore(db.SessionStore):
    def load(self):
        if not (self.session_key and caching.caching_enabled()):
            return super().load()
        known = caching.version(caching.SESSIONS)
        kept = caching.identities_cache().get(_kept_key(self.session_key))
        if kept is not None:
            kept_version, expires, data = kept
            if kept_version == known and timezone.now() < expires:
                return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        caching.identities_cache().set(
            _kept_key(stored.session_key), (known, stored.expire_date, data), caching.IDENTITY_SECONDS
        )
        return data

    def create(self):
        super().create()
        self._created_here = True

    def save(self, must_create=False):
        super().save(must_create=must_create)
        # A session made during this request (a login) is in nobody's memory yet.
        if not must_create and not getattr(self, "_created_here", False):
            self._forget(self.session_key)

    def delete(self, session_key=None):
        session_key = session_key or self.session_key
        super().delete(session_key)
        if session_key:
            self._forget(session_key)

    # Django's async session methods would skip the forgetting above: they run the same code instead.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def acreate(self):
        return await sync_to_async(self.create)()

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create=must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)

    def _forget(self, session_key):
        caching.identities_cache().delete(_kept_key(session_key))
        caching.raise_after_commit(caching.SESSIONS)
