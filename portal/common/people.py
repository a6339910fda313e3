"""How the portal names a member on records others read (exports, admin history): the person."""


def person_name(user):
    """Their full name, else their username; "" for no one. An erased account's name is "Deleted member"
    (portal.privacy.erasure), so a record never names an erased person."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
