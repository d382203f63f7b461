"""The thresholds command line and JSON API give the same decisions as the pages."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from earlyhelp.thresholds.models import FrameworkVersion

pytestmark = pytest.mark.django_db


def run(*args, stdin=""):
    out = io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("thresholds", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_load_loads_the_shipped_frameworks_once():
    first = run("load")
    again = run("load")
    assert "Loaded northamptonshire version 2013.1 (231 indicators)" in first
    assert "Already loaded, unchanged: newham version 2" in again
    assert FrameworkVersion.objects.count() == 2


def test_load_a_file_and_list_and_use(tmp_path, frameworks):
    source = frameworks["newham"].definition.model_dump_json()  # JSON is YAML too
    changed = json.loads(source) | {"framework": "anyshire", "title": "Anyshire thresholds"}
    path = tmp_path / "anyshire.yaml"
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert "Loaded anyshire version 2" in run("load", "--file", str(path))
    assert "anyshire: version 2" in run("list")
    assert "now check levels of need with anyshire" in run("use", "anyshire")
    assert "anyshire (in use)" in run("list")


def test_load_a_broken_file_fails_with_the_problem(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("framework: broken\n", encoding="utf-8")
    with pytest.raises(CommandError, match="title: Field required"):
        run("load", "--file", str(path))


def test_export_prints_the_framework_with_indicator_identifiers(frameworks):
    exported = json.loads(run("export", "--framework", "northamptonshire", "--format", "json"))
    assert exported["framework"] == "northamptonshire"
    assert exported["version"] == "2013.1"
    assert len(exported["indicators"]) == 231
    assert exported["indicators"][0] == {
        "id": "l1-learning-01",
        "level": 1,
        "domain": "learning",
        "list": "",
        "wording": "Achieving key milestones.",
    }


def test_export_as_yaml(frameworks):
    assert "framework: newham" in run("export", "--framework", "newham", "--format", "yaml")


def test_assess_reads_json_and_prints_the_decision(frameworks):
    question = {"indicators": ["l2-learning-01", "l2-housing-01"], "facts": {"consent_given": False}}
    decision = json.loads(run("assess", "--framework", "northamptonshire", stdin=json.dumps(question)))
    assert decision["level"] == 2
    assert [action["id"] for action in decision["actions"]][:1] == ["caf_must"]
    assert {"rule", "text", "indicators"} <= set(decision["reasons"][0])


def test_assess_uses_the_framework_in_use_by_default(frameworks):
    decision = json.loads(run("assess", stdin='{"indicators": ["l4-learning-01"]}'))
    assert decision["framework"] == "northamptonshire"
    assert decision["level"] == 4


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("not json", "Standard input is not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"indicators": ["nope"]}', "has no indicator 'nope'"),
        ('{"indicators": "l2-learning-01"}', "indicators: Input should be a valid list"),
        ('{"facts": {"danger": true}}', "facts.danger: Extra inputs are not permitted"),
    ],
)
def test_assess_refuses_bad_input_clearly_with_a_non_zero_exit(frameworks, stdin, message):
    with pytest.raises(CommandError, match=message) as refused:
        run("assess", "--framework", "northamptonshire", stdin=stdin)
    assert refused.value.returncode != 0


def test_assess_an_unknown_framework(frameworks):
    with pytest.raises(CommandError, match="No framework called 'nowhere'"):
        run("assess", "--framework", "nowhere", stdin="{}")


# The JSON API


def test_the_api_lists_frameworks_without_sign_in(frameworks):
    response = Client().get("/api/v1/thresholds/frameworks")
    assert response.status_code == 200
    assert response.json()[0] == {
        "name": "northamptonshire",
        "title": "Northamptonshire Thresholds and Pathways: the Vulnerability Matrix",
        "version": "2013.1",
        "in_use": True,
    }


def test_the_api_exports_a_framework(frameworks):
    response = Client().get("/api/v1/thresholds/frameworks/newham")
    assert response.status_code == 200
    assert len(response.json()["indicators"]) == 18
    assert Client().get("/api/v1/thresholds/frameworks/nowhere").status_code == 404


def test_the_api_gives_the_same_decision_as_the_command_line(frameworks):
    question = {"indicators": ["cse-01", "cse-02", "cse-03"], "facts": {"immediate_danger": True}}
    response = Client().post(
        "/api/v1/thresholds/frameworks/northamptonshire/assessments", question, content_type="application/json"
    )
    assert response.status_code == 200
    from_cli = json.loads(run("assess", "--framework", "northamptonshire", stdin=json.dumps(question)))
    assert response.json() == from_cli
    assert response.json()["actions"][0]["id"] == "call_police"


def test_the_api_refuses_unknown_indicators_and_bad_shapes(frameworks):
    client = Client()
    url = "/api/v1/thresholds/frameworks/northamptonshire/assessments"
    unknown = client.post(url, {"indicators": ["zz-1"]}, content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["unknown"] == ["zz-1"]
    shape = client.post(url, {"indicators": "l2-learning-01"}, content_type="application/json")
    assert shape.status_code == 422
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code in (400, 422)


def test_the_openapi_document_is_served(frameworks):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/thresholds/frameworks/{name}/assessments" in response.json()["paths"]
