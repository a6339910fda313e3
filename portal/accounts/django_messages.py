"""Django's own messages on the portal's account pages that Django's Thai catalogue leaves untranslated.

Named here only so that makemessages puts them in the portal's catalogues, whose translations win over
Django's (LOCALE_PATHS come first). The sign-up, invitation, password and log-in pages show them (help
texts, errors, a title). The strings are Django 5.2's, character for character (its `’`, not `'`); a
Django upgrade that rewords one brings Django's own catalogue back for it. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # django.contrib.auth.forms: the second password field's help text.
    gettext_noop("Enter the same password as before, for verification."),
    # django.contrib.auth.models.User.username and its validator.
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
    gettext_noop(
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."
    ),
    # django.contrib.auth.password_validation: the help texts under a new password, and the errors.
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is entirely numeric."),
    # django.contrib.auth.views.PasswordResetDoneView's title.
    gettext_noop("Password reset sent"),
]
