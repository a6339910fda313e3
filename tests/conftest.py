"""Suite-wide fixtures and the rules that make CI honest.

With REQUIRE_POSTGRES=1 the run must be on PostgreSQL; with REQUIRE_BROWSER=1
Chromium must be there. In CI both are set and any skipped test fails the run.
"""

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _required(name):
    return os.environ.get(name, "") not in {"", "0", "false"}


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_configure(config):
    if _required("REQUIRE_POSTGRES") and not on_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL.")
    if _required("REQUIRE_BROWSER") and not shutil.which(CHROMIUM):
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}.")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not on_postgres():
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")


def pytest_sessionfinish(session, exitstatus):
    """In CI (REQUIRE_* set) a skipped test is a missing proof: fail the run."""
    if not (_required("REQUIRE_POSTGRES") or _required("REQUIRE_BROWSER")):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"FAILED: {skipped} test(s) skipped while REQUIRE_POSTGRES/REQUIRE_BROWSER is set.")
        session.exitstatus = 1


# ---------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    # Playwright's sync API runs an event loop; Django's ORM in the test body is still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
