"""The `token` path converter: the one kind of string parameter in the portal's paths, checked on routing.

Registered here, once, on import; the URL modules that use `<token:...>` import this module.
"""

from django.urls import register_converter


class TokenConverter:
    """An opaque URL-safe token or code: ASCII letters, digits, '-' and '_', 1 to 64 of them.

    That covers every string the portal puts in a path: its tokens (`secrets.token_urlsafe`, at most 64
    characters in the database), Django's password-reset user id (unpadded URL-safe base64) and token,
    and language codes. Anything else cannot name a thing, so the resolver answers 404 before a view
    runs: above all a NUL byte, which PostgreSQL refuses in a query (a 500 when it reached a lookup).
    """

    regex = "[-a-zA-Z0-9_]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")
