"""The thresholds JSON API: the frameworks, and the level-of-need decision support.

It holds no personal data, so it is open to anyone, like the public guidance pages.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import BaseModel, Field

from earlyhelp.core.api_answers import OPEN_ANSWERS, MessageOut, ProblemOut, ProblemsOut
from earlyhelp.thresholds import selectors
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import UnknownIndicatorsError, recommend
from earlyhelp.thresholds.schemas import AssessmentIn, RecommendationOut, framework_export

router = Router(tags=["Thresholds"])


class FrameworkSummaryOut(BaseModel):
    name: str
    title: str
    version: str
    in_use: bool = Field(description="Whether practitioners in this service check levels of need with it.")


def _version(name: str) -> FrameworkVersion:
    version = selectors.framework_version_latest(name)
    if version is None:
        raise HttpError(404, f"No framework called {name!r} is loaded.")
    return version


@router.get(
    "/frameworks", response={200: list[FrameworkSummaryOut], **OPEN_ANSWERS}, summary="List the loaded frameworks"
)
def framework_list(request: HttpRequest) -> list[FrameworkSummaryOut]:
    return [
        FrameworkSummaryOut(
            name=version.framework.name,
            title=version.framework.title,
            version=version.version,
            in_use=version.framework.in_use,
        )
        for version in selectors.framework_versions_latest()
    ]


@router.get(
    "/frameworks/{name}",
    response={200: dict[str, Any], 404: MessageOut, **OPEN_ANSWERS},
    summary="A framework, with every indicator and its identifier",
)
def framework_detail(request: HttpRequest, name: str) -> dict[str, Any]:
    return framework_export(_version(name).definition)


@router.post(
    "/frameworks/{name}/assessments",
    response={200: RecommendationOut, 404: MessageOut, **OPEN_ANSWERS},
    summary="Recommend a level of need from the selected indicators and facts",
)
def framework_assess(request: HttpRequest, name: str, question: AssessmentIn) -> Status[Any]:
    definition = _version(name).definition
    try:
        result = recommend(definition, question.indicators, question.facts.to_facts())
    except UnknownIndicatorsError as error:
        problems = [
            ProblemOut(
                loc=["body", "question", "indicators", question.indicators.index(code)], msg=f"{code!r}: {error}"
            )
            for code in error.unknown
        ]
        return Status(422, ProblemsOut(detail=problems, unknown=error.unknown))
    return Status(200, RecommendationOut.from_result(result))
