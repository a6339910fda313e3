from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "matching.recommendations"
    label = "recommendations"
    verbose_name = _("Match recommendations")

    def ready(self):
        from matching.recommendations import signals

        signals.connect()
