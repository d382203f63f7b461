"""Two people press the same button: real concurrent requests on PostgreSQL, each thread with its
own database connection, against data committed for real (`transactional_db`)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from earlyhelp.frontdoor.models import Contact
from tests.conftest import signed_in
from tests.test_frontdoor_pages import fill_in_a_referral


def at_once(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run `work` in `count` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


def test_five_simultaneous_sends_of_one_draft_make_one_referral(postgresql_only, committed_db, alice, frameworks):
    client = signed_in(alice)
    fill_in_a_referral(client)
    cookies = client.cookies

    def send() -> Any:
        browser = signed_in(alice)
        browser.cookies = cookies
        return browser.post("/refer/check/")

    responses = at_once(5, send)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    contact = Contact.objects.get()
    assert {response.status_code for response in responses} == {302}
    assert {response["Location"] for response in responses} == {f"/refer/sent/{contact.pk}/"}


def test_sqlite_takes_the_write_lock_at_the_start_of_a_transaction() -> None:
    """Without it, two sends at once on SQLite end in "database is locked" (a 500)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
