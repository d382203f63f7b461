"""Playwright driving Debian's Chromium (never a downloaded browser) against pytest-django's live
server, with axe-core run on every page the test visits."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's synchronous API runs an event loop in the test's thread; the test's own database
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class AccessiblePage:
    """A page whose every visited address must be checked with axe-core before the test ends."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        # What the Content-Security-Policy blocked: a page whose script, style or font it refused.
        self.refused_by_policy: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused_by_policy.append(f"{self.page.url}: {message.text}")

    def _navigated(self, frame: object) -> None:
        if frame is self.page.main_frame:
            self.visited.append(self.page.url)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def check(self) -> None:
        """Run axe-core on the page as it is now; fail on any WCAG 2.2 A or AA violation."""
        self.page.wait_for_load_state("load")
        result = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} on {self.page.url}): "
            + ", ".join(node["html"][:120] for node in violation["nodes"])
            for violation in result.response["violations"]
        ]
        assert not violations, "\n".join(violations)
        self.checked.add(self.page.url)

    def assert_every_page_checked(self) -> None:
        unchecked = [url for url in self.visited if url not in self.checked and url != "about:blank"]
        assert not unchecked, f"Pages visited without an accessibility check: {unchecked}"
        assert not self.refused_by_policy, "\n".join(self.refused_by_policy)


@pytest.fixture(autouse=True)
def live_data(committed_db: None) -> None:
    """A live server reads what the test committed, so every browser test uses `committed_db`."""


@pytest.fixture
def accessible_page(browser: Browser, live_server) -> Iterator[AccessiblePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    checked = AccessiblePage(page, live_server.url)
    yield checked
    try:
        checked.assert_every_page_checked()
    finally:
        context.close()


def sign_in(accessible_page: "AccessiblePage", email: str, password: str) -> None:
    """Both steps, as a person signs in: the password, then the code their authenticator app shows
    (each user is given an app first, unless the test sets one up through the pages itself)."""
    from earlyhelp.organisations.models import User
    from tests.conftest import authenticator_of, code_from

    page = accessible_page.page
    user = User.objects.filter(email=email).first()
    device = authenticator_of(user) if user is not None else None
    accessible_page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    accessible_page.check()
    if device is None or "/account/two-step/" not in page.url:
        return  # a wrong password, say: still on the sign-in page
    page.get_by_label("Code").fill(code_from(device))
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
