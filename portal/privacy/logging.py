"""A logging filter that keeps passwords, tokens and e-mail bodies out of the logs.

The portal's own log lines name ids and addresses only; what could carry secrets comes from libraries:
Celery attaches a task's arguments (for `email_send`: the subject, the whole body, the
recipients) to its log records, as the message's parameters and as `data` (a worker's "succeeded" line
carries the whole e-mail), and a formatter that prints extras (JSON logging) would write
them out. The filter drops those arguments and masks, in any message, whatever looks like a password
reset or invitation link's token, or a `password=`/`token=` pair.
"""

import logging
import re

MASK = "[hidden]"
_PATTERNS = [
    # Django's password reset link: /reset/<uidb64>/<token>/ ; the invitation link: /invitation/<token>/
    (re.compile(r"(/reset/)[^/\s]+/[^/\s]+"), r"\1" + MASK),
    (re.compile(r"(/invitation/)[A-Za-z0-9_\-]{16,}"), r"\1" + MASK),
    (re.compile(r"((?:password\d?|token|secret)['\"]?\s*[:=]\s*['\"]?)[^'\"&\s,}]+", re.I), r"\1" + MASK),
]


def scrub(text):
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _without_arguments(mapping):
    return {key: (MASK if key in ("args", "kwargs") else value) for key, value in mapping.items()}


class NoSecrets(logging.Filter):
    """Installed on every handler in settings.LOGGING; never drops a record, only what it must not hold."""

    def filter(self, record):
        # Celery passes a task's arguments both as the message's parameters and as `data`.
        if isinstance(record.args, dict):
            record.args = _without_arguments(record.args)
        data = getattr(record, "data", None)
        if isinstance(data, dict):
            record.data = _without_arguments(data)
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
