"""Settings that belong to the authority (ADR 13), and the layers a tool checks (ADR 12)."""

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.frontdoor import clock
from earlyhelp.organisations.models import Authority
from earlyhelp.thresholds.models import Framework
from earlyhelp.thresholds.services import framework_use
from tests.conftest import signed_in

ROOT = Path(__file__).resolve().parent.parent
LONDON = ZoneInfo("Europe/London")


def _authority_form(authority: Authority, **changes: object) -> dict[str, object]:
    form = {
        name: getattr(authority, name)
        for name in (
            "name",
            "code",
            "service_name",
            "front_door_phone",
            "childrens_social_care_phone",
            "working_hours",
            "working_days",
            "bank_holidays",
            "closed_days",
            "decision_target_working_hours",
            "amber_when_working_hours_left",
            "re_referral_days",
            "self_referral_limit_per_hour",
            "caseload_per_full_time_coach",
        )
    }
    form |= {"seen_version": str(authority.version)}
    if authority.require_written_consent:
        form["require_written_consent"] = "on"
    form |= changes
    return form


@pytest.mark.django_db
def test_a_new_authority_starts_from_the_environments_settings(settings):
    settings.SERVICE_NAME = "Family Help"
    settings.FRONT_DOOR_WORKING_HOURS = "08:30-16:30"
    authority = Authority.objects.create(name="Anyshire", code="999")
    assert authority.service_name == "Family Help"
    assert authority.working_hours == "08:30-16:30"
    assert clock.rules_of(authority).working_hours == "08:30-16:30"


@pytest.mark.django_db
def test_an_administrator_changes_the_authoritys_settings_and_they_take_effect_at_once(administrator, authority):
    client = signed_in(administrator)
    address = f"/admin/organisations/authority/{authority.pk}/change/"
    assert client.get(address).status_code == 200
    received = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    assert clock.decision_due(received, clock.rules_of(authority)) == datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    form = _authority_form(authority, service_name="Family Help Anyshire", closed_days="2026-11-24")
    response = client.post(address, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    authority.refresh_from_db()
    assert authority.closed_days == "2026-11-24"
    # No restart: the next calculation and the next page read the new values.
    assert clock.decision_due(received, clock.rules_of(authority)) == datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
    assert "Family Help Anyshire" in signed_in(administrator).get("/").content.decode()
    event = AuditEvent.objects.for_target("organisations.authority", authority.pk).get()
    assert event.actor == administrator
    assert event.details["closed_days"] == ["", "2026-11-24"]
    assert event.details["service_name"][1] == "Family Help Anyshire"


@pytest.mark.django_db
def test_a_mistake_in_the_authoritys_settings_is_named_and_nothing_is_saved(administrator, authority):
    address = f"/admin/organisations/authority/{authority.pk}/change/"
    form = _authority_form(authority, working_hours="17:00-09:00", working_days="mon,funday", closed_days="24/12/26")
    page = signed_in(administrator).post(address, form).content.decode()
    assert "The front door must open before it closes" in page
    assert "like mon,tue,wed,thu,fri" in page
    assert "“24/12/26” is not a date like 2026-12-24" in page
    authority.refresh_from_db()
    assert authority.working_hours == "09:00-17:00"
    assert not AuditEvent.objects.for_target("organisations.authority", authority.pk).exists()


@pytest.mark.django_db
def test_switching_the_framework_in_use_is_audited(frameworks, administrator):
    framework_use(name="newham", actor=administrator)
    newham = Framework.objects.get(name="newham")
    event = AuditEvent.objects.for_target("thresholds.framework", newham.pk).get()
    assert event.details == {"framework in use": ["northamptonshire", "newham"]}
    assert event.actor == administrator
    framework_use(name="newham")  # already in use: nothing changes, nothing to record
    assert AuditEvent.objects.for_target("thresholds.framework", newham.pk).count() == 1


def test_the_layer_contract_fails_when_an_import_points_upward(tmp_path):
    """The contract in pyproject.toml, run over a copy of the code with one upward import added."""
    shutil.copytree(ROOT / "earlyhelp", tmp_path / "earlyhelp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    kept = subprocess.run(lint, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert kept.returncode == 0, kept.stdout
    upward = tmp_path / "earlyhelp" / "people" / "models.py"
    upward.write_text(upward.read_text() + "\nfrom earlyhelp.frontdoor import models as _frontdoor  # noqa\n")
    broken = subprocess.run(lint, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert broken.returncode == 1
    assert "earlyhelp.people is not allowed to import earlyhelp.frontdoor" in broken.stdout
