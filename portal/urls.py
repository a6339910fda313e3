"""Top-level URL map of the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from matching.consultations.reporting import views as reporting
from matching.recommendations import views as recommendations
from portal import views
from portal.common import converters  # noqa: F401 (registers <token:...>)

admin.site.site_header = _("K-Smart City export portal · administration")
admin.site.site_title = _("K-Smart City admin")
admin.site.index_title = _("Run the roadshows")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<token:code>/", views.language_switch, name="language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", views.member_home, name="member_home"),
    path("accounts/privacy/", include("portal.privacy.urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("companies/<int:pk>/matches/", recommendations.company_matches, name="company_matches"),
    path("demands/<int:pk>/matches/", views.demand_matches, name="demand_matches"),
    path("companies/", include("matching.companies.urls")),
    path("demands/", include("matching.demands.urls")),
    path("events/", include("matching.consultations.urls")),
    path("partners/", include("matching.partnering.urls")),
    path("places/", include("matching.geo.urls")),
    path("dashboard/", reporting.results, name="dashboard"),
    path("dashboard/export.csv", reporting.results_csv, name="dashboard_export"),
    path("dashboard/export.xlsx", reporting.results_xlsx, name="dashboard_export_xlsx"),
    re_path(
        r"^dashboard/events/(?P<pk>[0-9]+)/ministry-report-(?P<language>ko|en)\.(?P<extension>pdf|xlsx)$",
        reporting.ministry_report_event,
        name="ministry_report",
    ),
    re_path(
        r"^dashboard/(?P<year>[0-9]{4})/ministry-report-(?P<language>ko|en)\.(?P<extension>pdf|xlsx)$",
        reporting.ministry_report_year,
        name="ministry_report_year",
    ),
    path("admin/", admin.site.urls),
]

# A database that is down gives a 503 page with Retry-After (portal.views.server_error).
handler500 = "portal.views.server_error"
