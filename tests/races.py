"""Races for the tests: calls released at the same moment from threads of their own, as several web
workers and servers reach the portal at once (each thread has its own database connection, closed after)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import connections


def at_once(call, arguments):
    """`call(argument)` for every argument, all let go together by a barrier; their results, in order.

    A call that raises makes the test fail with that exception: callers turn the refusals they expect
    (a ValidationError, a 500 page) into results themselves.
    """
    barrier = threading.Barrier(len(arguments))

    def attempt(argument):
        try:
            barrier.wait(timeout=30)
            return call(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(attempt, arguments))


def race(*attempts):
    """Run the callables at once (at_once); what each returned, or the message of its refusal (a
    ValidationError's), or "error: ..." for any other exception, which a test then shows."""

    def attempt(call):
        try:
            return call()
        except ValidationError as error:
            return " ".join(error.messages)
        except Exception as error:  # noqa: BLE001 (any other error is what the tests must catch)
            return f"error: {error!r}"

    return at_once(attempt, attempts)
