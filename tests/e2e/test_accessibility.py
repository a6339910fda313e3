"""axe-core in Chromium on every page of the permission matrix, as every role: no serious or critical
violation anywhere.

The pages are the matrix's own (tests/test_permission_matrix.py: its world, its URLs, its table): every
URL a role opens with a 200 and an HTML page, and the error pages (403, 404, 410) it meets there. A new
URL in the matrix is checked here without a line of this module changing. axe-core is the version
package-lock.json pins (`make test` installs it with `npm ci`); it is added to each page through the
browser's devtools protocol, which the Content-Security-Policy does not govern, so the policy is
checked on these pages as on any other.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.pages import browser_session
from tests.permission_table import EXPECTED
from tests.roles import ANON, ROLES
from tests.test_permission_matrix import REQUESTS, world  # noqa: F401 (the matrix's world fixture)

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# The impacts that fail a page. axe's "moderate" and "minor" are reported as warnings by its own tools.
FAILING_IMPACTS = {"serious", "critical"}
LAPTOP = {"width": 1366, "height": 900}
# Error pages share one template: the first of each status a role meets is enough.
ERROR_STATUSES = {403, 404, 410}

# One test per role, each in one logged-in browser context, so xdist spreads the roles over its workers
# (each has its own live server and browser, shared with the other browser tests it runs).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe_installed():
    if not AXE.exists():
        pytest.skip(f"needs axe-core at {AXE.relative_to(settings.BASE_DIR)}: run `npm ci` (make test does)")
    return AXE


def matrix_pages(world, role):
    """The URLs of the matrix's GET requests that `role` opens as an HTML page: those it gets with a 200,
    and the first it gets with each error status. Each as (label, URL, status).

    The requests that only read come first: the others change the world as they are built (the matrix
    builds a world for each), as "own company, pending" makes the company pending."""
    labels = [label for label in EXPECTED if getattr(REQUESTS[label], "reads_only", False)]
    labels += [label for label in EXPECTED if label not in labels]
    errors_seen = set()
    for label in labels:
        status = EXPECTED[label][role]
        if status != 200 and (status not in ERROR_STATUSES or status in errors_seen):
            continue
        method, url, _ = REQUESTS[label](world)
        if method != "get":
            continue
        errors_seen.add(status)
        yield label, url, status


def log_in(context, live_server, user):
    """The browser context logged in as `user`, through a session the test client opened."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def serious_violations(page):
    """axe's serious and critical violations on the page, as readable lines."""
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_matrix_has_no_serious_accessibility_violation(
    browser, live_server, world, axe_installed, role
):
    found = {}
    checked = []
    with browser_session(browser, width=LAPTOP["width"], height=LAPTOP["height"]) as page:
        page.context.add_init_script(path=str(axe_installed))
        if role != ANON:
            log_in(page.context, live_server, world["users"][role])
        for label, url, status in matrix_pages(world, role):
            answer = page.context.request.get(live_server.url + url, max_redirects=0)
            if not answer.headers.get("content-type", "").startswith("text/html"):
                continue  # a file: PDF, image, calendar, spreadsheet
            response = page.goto(live_server.url + url)
            assert response.status == status, f"{label}: {url}"
            checked.append(label)
            if problems := serious_violations(page):
                found[f"{label} {url}"] = problems

    assert checked, "no page was checked"
    if found:
        pytest.fail(
            f"axe-core as {role}:\n"
            + "\n".join(f"{where}\n  " + "\n  ".join(problems) for where, problems in found.items())
        )
