from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartneringConfig(AppConfig):
    name = "matching.partnering"
    label = "partnering"
    verbose_name = _("Partner requests and conversations")

    def ready(self):
        from matching.kernel import partners
        from matching.partnering import selectors

        partners.register(selectors.are_partners)
