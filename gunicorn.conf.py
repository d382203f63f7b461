"""gunicorn's settings for production (`make production`); each can be changed from the environment.

Threads let one worker serve other pages while a request waits on the database, so a slow search
never queues every page behind it. The service listens on loopback by default: a reverse proxy in
front terminates TLS and passes X-Forwarded-For and X-Forwarded-Proto (set TRUSTED_PROXY_COUNT).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# A request still running after this long is stopped, its worker replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
keepalive = 5
# Restarted now and then, so that no worker grows for ever.
max_requests = 5000
max_requests_jitter = 500
# "-" is standard output; ACCESS_LOG= (empty) turns the access log off, as `make bench` does.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
wsgi_app = "earlyhelp.wsgi:application"
raw_env = [f"DJANGO_SETTINGS_MODULE={os.environ.get('DJANGO_SETTINGS_MODULE', 'earlyhelp.settings.production')}"]


def on_starting(server: object) -> None:
    """Refuse to start on a set-up mistake (say, static files not collected) rather than serve 500s."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings.production")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check", fail_level="ERROR")
