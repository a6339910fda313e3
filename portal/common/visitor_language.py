"""The language of a visitor who chose none: Korean for an address in Korea, English for any other."""

import ipaddress

import iptocc
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

# Django's own parser of Accept-Language (LocaleMiddleware uses it through get_language_from_request);
# it orders the header's languages by their q-values.
from django.utils.translation.trans_real import parse_accept_lang_header

from portal.common.security import client_ip

# The interface language for a country (ISO 3166-1 alpha-2) when the visitor chose none; any country not
# listed, and an address of no country (private, loopback, malformed), gets settings.LANGUAGE_CODE.
COUNTRY_LANGUAGES = {"KR": "ko"}


def country_of(address):
    """The country an IP address is registered in ("KR"), or None.

    iptocc holds the five Regional Internet Registries' delegations inside its wheel: no file read, no
    network. An IPv4 address written as IPv6 (::ffff:1.2.3.4, from a dual-stack socket) is looked up as
    the IPv4 address it is.
    """
    if ":" in address and "." in address:
        try:
            mapped = ipaddress.IPv6Address(address).ipv4_mapped
        except ValueError:
            return None
        if mapped is not None:
            address = str(mapped)
    return iptocc.country_code(address)


def chosen_language(request):
    """The language the visitor asked for: the switcher's cookie, else the first of the browser's
    Accept-Language that the portal speaks; None when neither names one of settings.LANGUAGES."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        try:
            return translation.get_supported_language_variant(cookie)
        except LookupError:
            pass
    for language, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if language == "*":
            break
        try:
            return translation.get_supported_language_variant(language)
        except LookupError:
            continue
    return None


def address_language(request):
    """The language for the country of the request's client address (client_ip: TRUSTED_PROXY_COUNT)."""
    return COUNTRY_LANGUAGES.get(country_of(client_ip(request)), settings.LANGUAGE_CODE)


class VisitorLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, whose last resort is the visitor's country instead of LANGUAGE_CODE.

    The order of the issue: a logged-in user's own language (UserPreferencesMiddleware, later in the chain),
    else the language switcher's cookie or the browser's Accept-Language, else Korean for an address in
    Korea and English for any other. The address is looked up only when nothing else decided. (The
    portal's URLs carry no language prefix, i18n_patterns, which is all the parent's version adds.)
    """

    def process_request(self, request):
        language = chosen_language(request)
        request.language_from_address = language is None
        if language is None:
            language = address_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "language_from_address", False):
            # The page's language followed the client's address, on which no Vary header can name: a
            # shared cache must not hand a Korean visitor's page to the next visitor without a language.
            patch_cache_control(response, private=True)
        return response
