"""The inbox count in the menu: the member's conversations with something waiting for them (a request to
answer, or a message they have not read), each counted once.

Every page a member opens shows it, so it is kept in Django's cache per user and forgotten whenever it
changes (a request made, answered or withdrawn, a message written or read), never recounted per page.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from matching.partnering import selectors

SECONDS = 10 * 60  # a change forgets it at once; this only bounds a key the forgetting missed


def _key(user_id):
    return f"partnering:inbox:{user_id}"


def inbox_count(user):
    """How many of the user's conversations wait for them (members only; 0 for anyone else)."""
    if selectors.own_side(user) is None:
        return 0
    key = _key(user.pk)
    count = cache.get(key)
    if count is None:
        count = selectors.conversations_waiting(user).count()
        cache.set(key, count, SECONDS)
    return count


def inbox_forget(*, company_id, buyer_id):
    """Forget the count of every member of the two organisations (after a change between them)."""
    members = get_user_model().objects.filter(Q(company_id=company_id) | Q(buyer_organisation_id=buyer_id))
    cache.delete_many([_key(pk) for pk in members.values_list("pk", flat=True)])


def inbox_forget_user(user):
    cache.delete(_key(user.pk))
