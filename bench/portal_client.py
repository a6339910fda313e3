"""A small HTTP client of the portal for the benchmarks (standard library only).

Keeps its own cookies, because the production settings mark them Secure and the benchmarks talk plain
HTTP on the loopback (http.cookiejar would never send them back). One connection per request: gunicorn's
sync workers close the connection after each response anyway.

    .venv/bin/python -m bench.portal_client cookie http://127.0.0.1:8000 USERNAME PASSWORD
        prints "sessionid=..." for wrk's -H "Cookie: ..." (exit 1 when the login fails)
    .venv/bin/python -m bench.portal_client check http://127.0.0.1:8000 "sessionid=..." /path ...
        prints the status and size of each page (exit 1 unless all answer 200)
"""

import http.client
import re
import sys
import urllib.parse
from http.cookies import SimpleCookie

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=""):
        return self.headers.get(name, default)


class Session:
    def __init__(self, base_url, timeout=10.0, cookie=""):
        parts = urllib.parse.urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout
        self.cookies = {}
        if cookie:
            for item in cookie.split(";"):
                name, _, value = item.strip().partition("=")
                self.cookies[name] = value

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, body=None, headers=None):
        """Send one request (redirects are not followed); raises OSError/HTTPException on network errors."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            sent = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
            if self.cookies:
                sent["Cookie"] = self.cookie_header()
            sent.update(headers or {})
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            payload = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                parsed = SimpleCookie()
                parsed.load(value)
                for name, morsel in parsed.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(response.status, response.headers, payload)
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body=body, headers=headers)

    def csrf_token(self, page):
        """The form's csrfmiddlewaretoken on a fetched page (the csrftoken cookie came with it)."""
        match = CSRF_INPUT.search(page.text)
        if not match or "csrftoken" not in self.cookies:
            raise RuntimeError(f"no CSRF token on the page (status {page.status})")
        return match.group(1)

    def login(self, username, password):
        """Log in through /accounts/login/; True when the portal answered with its redirect and a session."""
        form = self.get("/accounts/login/")
        token = self.csrf_token(form)
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        answer = self.post_form("/accounts/login/", fields)
        return answer.status == 302 and "sessionid" in self.cookies


def main(argv):
    if len(argv) >= 4 and argv[0] == "cookie":
        session = Session(argv[1])
        if not session.login(argv[2], argv[3]):
            sys.exit(f"portal_client: login as {argv[2]} failed")
        print(f"sessionid={session.cookies['sessionid']}")
        return
    if len(argv) >= 3 and argv[0] == "check":
        session = Session(argv[1], cookie=argv[2])
        failed = False
        for path in argv[3:]:
            answer = session.get(path)
            print(f"  {answer.status} {len(answer.body):>7} bytes  {path}")
            failed |= answer.status != 200
        if failed:
            sys.exit("portal_client: a page did not answer 200")
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
