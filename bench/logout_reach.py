"""Whether any worker of a running portal still answers an old session cookie after its logout. Sessions
are read through the cache (cached_db, in Redis shared by every worker). Standard library only; run by
bench/load.sh against its gunicorn.

    .venv/bin/python -m bench.logout_reach http://127.0.0.1:8000 USERNAME PASSWORD

Logs in, opens /events/agendas/ 200 times (gunicorn hands the connections to all its workers, so each
has read the session), logs out through the navigation's form, then asks for /events/agendas/ with the
old session cookie every 10 ms for 3 s. Prints how many of those answers still came logged in (200).
Goal: none, from the first request after the logout. Exits 1 if one did.
"""

import sys
import time

from bench.portal_client import Session

PAGE = "/events/agendas/"


def main(base_url, username, password):
    member = Session(base_url)
    if not member.login(username, password):
        sys.exit(f"logout_reach: login as {username} failed")
    warm = [member.get(PAGE).status for _ in range(200)]
    if set(warm) != {200}:
        sys.exit(f"logout_reach: {PAGE} answered {sorted(set(warm))} while logged in")
    old_cookie = f"sessionid={member.cookies['sessionid']}"

    token = member.csrf_token(member.get(PAGE))
    logged_out_at = time.monotonic()
    answer = member.post_form("/accounts/logout/", {"csrfmiddlewaretoken": token})
    if answer.status != 302:
        sys.exit(f"logout_reach: the logout answered {answer.status}")

    replay = Session(base_url, cookie=old_cookie)
    still_in = []
    statuses = {}
    while time.monotonic() - logged_out_at < 3.0:
        status = replay.get(PAGE).status
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            still_in.append(time.monotonic() - logged_out_at)
        time.sleep(0.01)

    print(f"answers to the old session cookie in the 3 s after the logout, by status: {statuses}")
    if still_in:
        print(f"still logged in: {len(still_in)}, the last {max(still_in):.3f} s after the logout")
    else:
        print("still logged in: none")
    verdict = "MISS" if still_in else "PASS"
    print(f"goal: no page for the old session after the logout -> {verdict}")
    return not still_in


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(0 if main(*sys.argv[1:]) else 1)
