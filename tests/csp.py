"""What a page must look like to work under the portal's Content-Security-Policy.

The policy allows scripts and styles from our own origin only, so a page must have no inline
<script> (but JSON data blocks from json_script), no <style> element, no style="" attribute, no
on*="" event handler and no javascript: URL: the browser would refuse each of them.
"""

from html.parser import HTMLParser

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response):
    """The response's Content-Security-Policy header as {directive: sources}."""
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, sources in directives}


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self.problems.append(f"line {line}: inline <script>")
        if tag == "style":
            self.problems.append(f"line {line}: <style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"line {line}: style attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"line {line}: {name} handler on <{tag}>")
            elif name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: javascript: URL in {name} of <{tag}>")


def inline_code(html):
    """The things in `html` that the policy would block, as readable lines (empty when none)."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_page_works_under_the_policy(response, tolerated=()):
    """An HTML page carries the policy and nothing that it would block but the `tolerated` problems
    (problem texts without their line, for third-party pages where a blocked style is only cosmetic)."""
    assert policy(response) == EXPECTED_POLICY
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        problems = inline_code(response.content.decode())
        problems = [problem for problem in problems if problem.split(": ", 1)[1] not in tolerated]
        assert problems == [], response.request["PATH_INFO"]
