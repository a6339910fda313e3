"""What browser journeys check on any page: it fits the window, the Content-Security-Policy blocked
nothing on it, and a screenshot of it for review."""

import contextlib

from django.conf import settings

SCREENSHOTS = settings.BASE_DIR / "screenshots"


def no_horizontal_overflow(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide in a {widths[1]}px window"


def screenshot(page, name):
    """A full-page PNG in screenshots/ (git ignores it), checked to be one."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@contextlib.contextmanager
def browser_session(browser, locale="en-GB", width=1280, height=900):
    """A separate browser session (its own cookies) and its tab. The journey fails if the
    Content-Security-Policy blocked anything on any page the tab opened."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert blocked == [], "the Content-Security-Policy blocked something"


def another_browser(browser):
    """A second member's session beside the journey's `page`."""
    return browser_session(browser)
