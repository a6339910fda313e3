"""Suite-wide fixtures and the rules that make CI honest.

With REQUIRE_POSTGRES=1 the run must be on PostgreSQL; with REQUIRE_BROWSER=1
Chromium must be there; with REQUIRE_REDIS=1 the cache must be Redis (REDIS_URL).
In CI all three are set and any skipped test fails the run.
"""

import functools
import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests import factories

# The shared assertion helpers report what differed, as an assert in a test module does.
pytest.register_assert_rewrite("tests.directories")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _required(name):
    return os.environ.get(name, "") not in {"", "0", "false"}


def on_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def on_redis():
    return settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def pytest_configure(config):
    config.addinivalue_line("markers", "redis: needs Redis (skips elsewhere; fails when REQUIRE_REDIS=1)")
    if _required("REQUIRE_POSTGRES") and not on_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL.")
    if _required("REQUIRE_REDIS") and not on_redis():
        raise pytest.UsageError("REQUIRE_REDIS=1 but REDIS_URL is not set: the cache is not Redis.")
    if _required("REQUIRE_BROWSER") and not shutil.which(CHROMIUM):
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}.")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not on_postgres():
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    if item.get_closest_marker("redis") and not on_redis():
        pytest.skip("needs Redis (set REDIS_URL)")


def pytest_sessionfinish(session, exitstatus):
    """In CI (REQUIRE_* set) a skipped test is a missing proof: fail the run."""
    if not any(_required(name) for name in ("REQUIRE_POSTGRES", "REQUIRE_BROWSER", "REQUIRE_REDIS")):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"FAILED: {skipped} test(s) skipped while REQUIRE_POSTGRES/REQUIRE_BROWSER/REQUIRE_REDIS is set."
        )
        session.exitstatus = 1


# ---------------------------------------------------------------- cache
@functools.cache
def redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def empty_cache():
    """Empty this test process's cache. On Redis, only the keys under this process's prefix (tests/settings):
    Redis's own clear() is FLUSHDB, which would empty every other xdist worker's and run's keys too."""
    if not on_redis():
        caches["default"].clear()
        return
    keys = list(redis_client().scan_iter(match=f"{caches['default'].key_prefix}:*", count=1000))
    if keys:
        redis_client().unlink(*keys)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (a page or session cached by one test never answers the next)
    and leaves none behind (nothing of the run stays in a shared Redis)."""
    empty_cache()
    yield
    empty_cache()


# ---------------------------------------------------------------- browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's sync driver, one per test process: every browser of the run is launched from it."""
    # Playwright's sync API runs an event loop; Django's ORM in the test body is still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch_chromium(playwright, *extra_args):
    """Debian's Chromium, headless, with the suite's flags and `extra_args`; never a downloaded browser."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    browser = launch_chromium(playwright_driver)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab; a journey fails if the Content-Security-Policy blocked anything on its pages."""
    from tests.e2e.pages import browser_session

    with browser_session(browser) as tab:
        yield tab


# ---------------------------------------------------------------- language
@pytest.fixture(autouse=True)
def _english_unless_asked():
    """Start every test in English: LocaleMiddleware leaves a request's language active in the thread,
    so without this a Korean request in one test would translate the messages of the next."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def html_in(response, language):
    """The page's HTML, once checked to be a 200 served in `language` ("en", "ko")."""
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    return html


# ---------------------------------------------------------------- one user of every role
# Bangkok and Istanbul are the two trade centres the roadshow tests tell apart.
@pytest.fixture
def bangkok_centre(db):
    thailand = factories.CountryFactory(iso_code="TH", name_en="Thailand", name_ko="태국")
    bangkok = factories.CityFactory(
        country=thailand,
        name_en="Bangkok",
        name_ko="방콕",
        name_local="กรุงเทพมหานคร",
        time_zone="Asia/Bangkok",
    )
    return factories.TradeCentreFactory(
        code="bangkok", name_en="KOTRA Bangkok", name_ko="KOTRA 방콕무역관", city=bangkok
    )


@pytest.fixture
def istanbul_centre(db):
    turkiye = factories.CountryFactory(iso_code="TR", name_en="Türkiye", name_ko="튀르키예")
    istanbul = factories.CityFactory(
        country=turkiye, name_en="Istanbul", name_ko="이스탄불", time_zone="Europe/Istanbul"
    )
    return factories.TradeCentreFactory(
        code="istanbul", name_en="KOTRA Istanbul", name_ko="KOTRA 이스탄불무역관", city=istanbul
    )


@pytest.fixture
def sme_owner(db):
    """An SME member of Seoul Traffic Systems."""
    company = factories.CompanyFactory(name_en="Seoul Traffic Systems", name_ko="서울교통시스템")
    return factories.SmeMemberFactory(username="sme_owner", company=company)


@pytest.fixture
def stranger(db):
    """An SME member of another company: must not see sme_owner's things."""
    company = factories.CompanyFactory(name_en="Busan Water Tech", name_ko="부산워터테크")
    return factories.SmeMemberFactory(username="stranger", company=company)


@pytest.fixture
def buyer(db, bangkok_centre):
    """A buyer member of a Thai city government."""
    organisation = factories.BuyerOrganisationFactory(
        name="Khon Kaen City Municipality",
        name_local="เทศบาลนครขอนแก่น",
        city=factories.CityFactory(
            country=bangkok_centre.city.country, name_en="Khon Kaen", name_ko="콘깬", time_zone="Asia/Bangkok"
        ),
    )
    return factories.BuyerMemberFactory(username="buyer", buyer_organisation=organisation)


@pytest.fixture
def centre_staff(db, bangkok_centre):
    return factories.CentreStaffFactory(username="centre_staff", trade_centre=bangkok_centre)


@pytest.fixture
def other_centre_staff(db, istanbul_centre):
    return factories.CentreStaffFactory(username="other_centre_staff", trade_centre=istanbul_centre)


@pytest.fixture
def admin(admin_user):
    """pytest-django's admin_user: PortalUserManager.create_superuser gives it role=admin.

    Reusing it keeps `admin_client` logged in as this same user.
    """
    return admin_user
