"""The production configuration, started as `make production` starts it: gunicorn with the
production settings after `collectstatic`, answering /healthz, a page and a static file. The
benchmark's smoke run does the starting (tools/bench.py --smoke), so that it cannot rot either."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
MAIN_PAGES = {"home (front door)", "home (team leader)", "front-door queue", "a contact", "person page", "family page"}
CASEWORK_PAGES = {
    "my families (coach)",
    "team page (team leader)",
    "two-year case file",
    "two-year chronology",
    "genogram and ecomap",
    "forum (coordinator)",
    "forum meeting (coordinator)",
    "forum reports (coordinator)",
}
DASHBOARD_PAGES = {"performance dashboard (a year)", "performance dashboard (five years)"}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> dict[str, Any]:
    results = tmp_path_factory.mktemp("bench") / "bench.json"
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    finished = subprocess.run(
        [sys.executable, "tools/bench.py", "--smoke", "--json", str(results)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    return json.loads(results.read_text())


def test_gunicorn_with_the_production_settings_serves_health_a_page_and_a_static_file(smoke):
    production = smoke["production"]
    assert production["healthz"] == 200
    assert production["healthz_body"] == {"status": "ok", "database": "ok", "cache": "ok"}
    assert production["sign_in_page"] == 200
    assert production["static_file"] == 200
    assert "immutable" in production["static_cache_control"]
    assert production["plain_http_redirected_to_https"] is True


def test_production_pages_are_never_stored_and_carry_the_security_headers(smoke):
    headers = smoke["production"]["page_headers"]
    assert "no-store" in headers["cache-control"]
    assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "camera=()" in headers["permissions-policy"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-frame-options"] == "DENY"


def _production(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "staticfiles.json").write_text("{}")  # as if collected
    # Not the test run's own: its database, and the browser tests' permission to run the ORM
    # beside Playwright's event loop (which check --deploy rightly refuses in production).
    left_out = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in left_out}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.production",
        "SECRET_KEY": "a-production-secret-key-for-the-check-" + "x" * 40,
        "ALLOWED_HOSTS": "early-help.example.gov.uk",
        "STATIC_ROOT": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_the_deployment_checks_are_clean_under_the_production_settings(tmp_path):
    finished = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "System check identified no issues (0 silenced)." in finished.stdout


def test_the_demo_is_never_loaded_under_the_production_settings(tmp_path):
    assert _production(tmp_path, "migrate", "--no-input", "--verbosity", "0").returncode == 0
    for command in (["load_demo"], ["generate_demo", "--scale", "smoke"]):
        finished = _production(tmp_path, *command)
        assert finished.returncode == 1, command
        assert "Demo data is never loaded under the production settings" in finished.stderr
    users = _production(
        tmp_path, "shell", "-c", "from earlyhelp.organisations.models import User; print(User.objects.count())"
    )
    assert users.stdout.strip().splitlines()[-1] == "0"


def test_the_benchmark_opens_every_main_page_and_every_kind_of_search(smoke):
    assert {figure["what"] for figure in smoke["pages"]} == MAIN_PAGES | CASEWORK_PAGES | DASHBOARD_PAGES
    for figure in smoke["pages"] + smoke["searches"]:
        assert figure["statuses"] == [200], figure
        # The ceilings are the benchmark's (12, and 30 for casework's pages), on PostgreSQL with
        # Redis (where a session costs no query); on SQLite here a page may make a query or two
        # more (sessions, BEGIN IMMEDIATE).
        ceiling = 47 if figure["what"] in DASHBOARD_PAGES else 32 if figure["what"] in CASEWORK_PAGES else 14
        assert 0 < figure["queries"] <= ceiling, figure
        assert figure["median_ms"] > 0
    assert {figure["what"] for figure in smoke["searches"]} >= {"search: surname", "search: date of birth"}
    assert smoke["mixed_load"]["requests"] > 0
    assert smoke["mixed_load"]["errors"] == 0
    assert smoke["concurrent_searches"]["errors"] == 0


def test_each_main_page_makes_the_same_queries_on_more_data(smoke):
    assert smoke["people"] > 1500
    assert all(sizes["constant"] for sizes in smoke["queries_by_size"].values()), smoke["queries_by_size"]


def test_the_results_print_as_the_performance_pages_table(smoke):
    from tools.bench import markdown

    table = markdown(smoke)
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    # A heading, then every page, every search and both loads.
    assert len(rows) == 1 + len(smoke["pages"]) + len(smoke["searches"]) + 2
    assert all(figure["what"] in table for figure in smoke["pages"] + smoke["searches"])
    assert all(figure["outside_sql_ms"] >= 0 for figure in smoke["pages"])


def test_production_refuses_to_start_before_the_static_files_are_collected(tmp_path):
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=manifest_storage, STATIC_ROOT=tmp_path):
        errors = [message for message in run_checks() if message.id == "earlyhelp.E001"]
        assert len(errors) == 1
        assert "collectstatic" in str(errors[0].hint)
        (tmp_path / "staticfiles.json").write_text("{}")
        assert not [message for message in run_checks() if message.id == "earlyhelp.E001"]


def test_development_storage_needs_no_collected_files(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path):
        assert not [message for message in run_checks() if message.id == "earlyhelp.E001"]


@pytest.mark.django_db
def test_health_is_ok_when_the_database_and_the_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_health_names_the_cache_when_it_does_not_answer(client, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is not running")

    monkeypatch.setattr(cache, "set", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "failed"}


@pytest.mark.django_db
def test_health_names_the_database_when_it_does_not_answer(client, monkeypatch):
    from django.db import DatabaseError, connection

    def down():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failed"
