"""Django's authentication middleware, aware of the users each worker keeps (portal.accounts.backends)."""

from django.contrib import auth
from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from .backends import forget_user_kept_from_before_a_password_change


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        forget_user_kept_from_before_a_password_change(request.session)
        request._cached_user = auth.get_user(request)
    return request._cached_user
