"""Each area's annual Market Place event (EHF purpose 10): set and announced by the area's forum
coordinators, to every member of the area's forums."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.forums import notifications
from earlyhelp.forums.market_place import EventDetails, market_place_add, market_place_announce
from tests import forums_world as world_of
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    return world_of.forum_world(authority, coordinator=forum_coordinator, business_support=business_support, core=alice)


def an_event(world, **changes):
    values = {
        "area": world.forum.area,
        "held_on": timezone.localdate() + timedelta(days=30),
        "venue": "The Guildhall",
        "details": "Stalls",
    } | changes
    return EventDetails(**values)


def test_the_coordinator_sets_and_announces_the_areas_market_place(world, django_capture_on_commit_callbacks):
    event = market_place_add(actor=world.coordinator.user, details=an_event(world))
    with django_capture_on_commit_callbacks(execute=True):
        market_place_announce(actor=world.coordinator.user, event=event)
    [queued] = DBTaskResult.objects.filter(task_path=notifications.market_place_announce.module_path)
    notifications.market_place_announce.call(**queued.args_kwargs["kwargs"])
    [announced] = mail.outbox
    assert world.core.user.email in announced.to
    assert world.extended_not_invited.user.email in announced.to
    assert "The Guildhall" in announced.body
    with pytest.raises(ValidationError):
        market_place_announce(actor=world.coordinator.user, event=event)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area": None}, "area"),
        ({"held_on": None}, "held_on"),
        ({"held_on": timezone.localdate() - timedelta(days=1)}, "held_on"),
        ({"venue": " "}, "venue"),
    ],
)
def test_an_event_says_what_is_missing(world, changes, field):
    with pytest.raises(ValidationError) as refused:
        market_place_add(actor=world.coordinator.user, details=an_event(world, **changes))
    assert field in refused.value.message_dict


def test_only_the_areas_coordinators_set_an_event(world):
    with pytest.raises(ValidationError) as refused:
        market_place_add(actor=world.core.user, details=an_event(world))
    assert refused.value.message_dict == {"area": ["Choose an area whose forum you coordinate"]}
    response = signed_in(world.core.user).post("/forums/market-place/", {"form": "add", "venue": "x"})
    assert response.status_code == 404


def test_every_partner_sees_the_events_and_only_coordinators_the_form(world, bob):
    market_place_add(actor=world.coordinator.user, details=an_event(world))
    page = signed_in(bob).get("/forums/market-place/").content.decode()
    assert "The Guildhall" in page
    assert "Add an event" not in page
    assert "Add an event" in signed_in(world.coordinator.user).get("/forums/market-place/").content.decode()
