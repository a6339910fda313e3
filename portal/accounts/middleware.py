"""A logged-in user's own settings for the request: their interface language and Buddhist-era years."""

from django.utils import translation

from portal.common import dates


class UserPreferencesMiddleware:
    """After AuthenticationMiddleware and LocaleMiddleware: the language a user chose in their settings wins
    over the cookie and the browser's; their Buddhist-era choice applies to the request's dates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        era = dates.buddhist_era.set(user.buddhist_era if user.is_authenticated else True)
        try:
            if user.is_authenticated and user.language and user.language != request.LANGUAGE_CODE:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            return self.get_response(request)
        finally:
            dates.buddhist_era.reset(era)
