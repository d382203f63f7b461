"""The answers every API operation can give besides its own, in one shape, so that the OpenAPI
document lists what the API really returns: 400 (a body that is not JSON), 401 (no valid key),
413 (a body over the size limit, refused by `RequestLimitsMiddleware`) and 422 (every problem
with the request, each at its location)."""

from typing import Any

from pydantic import BaseModel, Field


class MessageOut(BaseModel):
    detail: str


class ProblemOut(BaseModel):
    loc: list[str | int] = Field(description='Where the problem is, e.g. ["body", "referral", "children", 0]')
    msg: str


class ProblemsOut(BaseModel):
    detail: list[ProblemOut]
    unknown: list[str] = Field(default=[], description="For an assessment: the indicators the framework does not have.")


OPEN_ANSWERS: dict[int, Any] = {400: MessageOut, 413: MessageOut, 422: ProblemsOut}
KEYED_ANSWERS: dict[int, Any] = {**OPEN_ANSWERS, 401: MessageOut}
