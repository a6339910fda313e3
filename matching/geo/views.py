"""The cities of a country, for the city fields' country select (static/js/city-picker.js)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from matching.geo import dataset
from matching.geo.forms import city_choices
from matching.geo.models import Country


@require_GET
@cache_control(private=True, max_age=300)
@vary_on_cookie  # the names are in the page's language, which the language cookie may have just changed
def city_options(request):
    """{"cities": [[value, name], ...]} of the country `?country=TH`, the portal's and the data set's;
    404 for a code neither knows. Public: sign-up needs it, and the list is the same for everyone."""
    code = request.GET.get("country", "").upper()
    code = code if len(code) == 2 else ""
    if not code or (code not in dataset.countries() and not Country.objects.filter(iso_code=code).exists()):
        return JsonResponse({"cities": [], "error": _("Unknown country.")}, status=404)
    return JsonResponse({"cities": city_choices(code), "placeholder": _("City…")})
