"""Production settings: `manage.py check --deploy --fail-level WARNING` passes with DEBUG off and the
environment a deployment sets; without a SECRET_KEY production refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
NOT_INHERITED = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-with-more-than-fifty-characters-0123456789",
    "ALLOWED_HOSTS": "portal.k-smartcity.example",
    "DATABASE_URL": "sqlite:///:memory:",
    # The cache and the task queue's broker; the settings only read the address.
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", env=PRODUCTION | {"SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_without_redis_refuses_to_start():
    """Each process's own memory as the cache would keep a session after its logout elsewhere, and a
    folder of files as the broker would serve one machine only."""
    result = _manage("check", env=PRODUCTION | {"REDIS_URL": ""})

    assert result.returncode != 0
    assert "REDIS_URL must be set when DEBUG is off." in result.stderr


def test_production_answers_http_with_a_redirect_to_https_and_secure_cookies():
    script = (
        "import django; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        | PRODUCTION
        | {"DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.split() == ["True", "True", "True", "31536000"], result.stderr
