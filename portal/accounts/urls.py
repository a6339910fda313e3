from django.contrib.auth import views as auth_views
from django.urls import path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts import preferences, views
from portal.accounts.forms import PasswordResetForm
from portal.common import converters  # noqa: F401 (registers <token:...>)
from portal.common.security import limit_posts

FORM_PAGE = "accounts/auth_form.html"
MESSAGE_PAGE = "accounts/auth_message.html"

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("invite/", views.invite, name="invite"),
    path("settings/", preferences.preferences, name="preferences"),
    path("invitation/<token:token>/", views.invitation_accept, name="invitation_accept"),
    path("reviews/", views.review_queue, name="review_queue"),
    re_path(
        r"^reviews/(?P<kind>company|buyer)/(?P<pk>[0-9]+)/(?P<decision>approve|reject)/$",
        views.review_decide,
        name="review_decide",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name=FORM_PAGE, success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=MESSAGE_PAGE, extra_context={"message": _("Your password was changed.")}
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        limit_posts(group="password_reset")(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordResetForm,
                template_name=FORM_PAGE,
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=MESSAGE_PAGE,
            extra_context={
                "message": _(
                    "If an account uses that address, we have e-mailed it a link to choose a new password."
                )
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<token:uidb64>/<token:token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=FORM_PAGE, success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=MESSAGE_PAGE,
            extra_context={"message": _("Your new password is set. You can log in with it now.")},
        ),
        name="password_reset_complete",
    ),
]
