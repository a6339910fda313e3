"""The username django-axes records for a login attempt (settings.AXES_USERNAME_CALLABLE)."""

from django.conf import settings

# django-axes stores usernames in a 255-character column (AccessAttempt, AccessFailureLog).
AXES_USERNAME_LENGTH = 255


def login_username(request, credentials=None):
    """What was typed as the username, without NUL bytes and cut to the length axes can store.

    A longer name belongs to no account (usernames have at most 150 characters), so cutting it merges
    no real user's attempts; without the cut, such a login failed with a database error (a 500).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field) if request is not None else None
    if username is None:
        return None
    return str(username).replace("\x00", "")[:AXES_USERNAME_LENGTH]
