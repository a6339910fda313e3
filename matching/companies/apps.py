from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "matching.companies"
    label = "companies"
    verbose_name = _("Korean companies and solutions")
