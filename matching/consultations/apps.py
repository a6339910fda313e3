from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "matching.consultations"
    label = "consultations"
    verbose_name = _("1:1 consultations")
