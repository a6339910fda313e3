# Sourced by the HTTP benchmarks after PY and WORK are set: the environment of the portal in production
# mode (DEBUG=0, a fresh SECRET_KEY, static files collected into $WORK/static, e-mails dropped) that
# gunicorn, manage.py and the load generators of bench/load.sh and bench/db_restart.sh share.
production_env() {
    export DJANGO_SETTINGS_MODULE=bench.load_settings
    export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
    export SECRET_KEY
    SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    export BENCH_STATIC_ROOT="$WORK/static"
    export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
}
