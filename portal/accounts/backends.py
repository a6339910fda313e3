"""Django's password login, with the user's organisation read in the same query.

Every page's navigation names the user's organisation (company, buyer or trade centre): reading it with
the user saves a query on every page a logged-in user opens.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        organisations = ("company", "buyer_organisation", "trade_centre")
        user = get_user_model()._default_manager.select_related(*organisations).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
