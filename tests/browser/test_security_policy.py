"""The Content-Security-Policy blocks nothing the service itself needs: GOV.UK Frontend's
components, the print button, and the API's own documentation (Swagger UI, served locally)."""

from typing import Any

import pytest
from playwright.sync_api import Browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _refusals(page: Any) -> list[str]:
    refused: list[str] = []

    def heard(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", heard)
    return refused


def test_the_api_documentation_renders_under_the_policy(browser: Browser, live_server, frameworks):
    context = browser.new_context()
    page = context.new_page()
    refused = _refusals(page)
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "early help api" in page.locator(".swagger-ui .info .title").inner_text().lower()
    assert refused == []
    context.close()


def test_the_policy_refuses_an_inline_script_that_got_into_a_page(browser: Browser, live_server, frameworks):
    """The guard the test above relies on: a script injected into the page is refused, and said so."""
    context = browser.new_context()
    page = context.new_page()
    refused = _refusals(page)
    page.goto(live_server.url + "/guidance/level-of-need/")
    assert page.evaluate("document.body.classList.contains('js-enabled')")  # GOV.UK's own line ran
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    assert any("script-src" in text for text in refused), refused
    context.close()
