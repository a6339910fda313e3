"""The portal's URLs plus /hello, a bare view: the floor (Django, its middleware, gunicorn) pages are
compared with. Benchmarks only; the portal's own URL map never has it."""

from django.conf import urls as django_urls
from django.http import HttpResponse
from django.urls import include, path

from portal import urls as portal_urls


def hello(request):
    return HttpResponse("hello")


urlpatterns = [
    path("hello", hello),
    path("", include("portal.urls")),
]

# Django looks the error views up on the root URLconf only: keep the portal's (its 503 page for a
# database that is down is handler500).
handler400 = getattr(portal_urls, "handler400", django_urls.handler400)
handler403 = getattr(portal_urls, "handler403", django_urls.handler403)
handler404 = getattr(portal_urls, "handler404", django_urls.handler404)
handler500 = getattr(portal_urls, "handler500", django_urls.handler500)
