"""What browser journeys check on any page: it fits the window, and a screenshot of it for review."""

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
