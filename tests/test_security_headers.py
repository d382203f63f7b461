"""The headers every page carries: never stored, a strict Content-Security-Policy whose one
inline script is GOV.UK Frontend's, allowed by its hash, and no powerful browser features."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from earlyhelp.core.headers import never_stored
from tests.conftest import signed_in

PUBLIC_PAGES = [
    "/sign-in/",
    "/guidance/level-of-need/",
    "/services/",
    "/ask-for-help/",
    "/api/v1/thresholds/frameworks",
]


def _inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_never_stored_and_carry_the_policy(path, frameworks, authority):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_childs_record_is_never_stored(okafor, alice):
    response = signed_in(alice).get(f"/people/{okafor.child.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_only_inline_script_is_govuk_frontends_and_the_policy_allows_it_by_its_hash(okafor, alice):
    response = signed_in(alice).get(f"/people/{okafor.child.pk}/")
    scripts = _inline_scripts(response.content.decode())
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.GOVUK_JS_ENABLED_SCRIPT_HASH
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in policy


def test_a_page_that_asked_to_be_cached_is_not():
    response = HttpResponse("A letter")
    response["Cache-Control"] = "public, max-age=3600"
    never_stored(response)
    assert "public" not in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_no_template_holds_a_javascript_link_or_inline_handler_the_policy_would_block():
    from pathlib import Path

    templates = Path(settings.BASE_DIR) / "earlyhelp"
    offending = [
        str(path)
        for path in templates.rglob("*.html")
        if re.search(r"javascript:|\son[a-z]+=|\sstyle=|<style", path.read_text(encoding="utf-8"))
    ]
    assert offending == []
