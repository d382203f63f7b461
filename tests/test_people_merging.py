"""Merging two records of the same person, and undoing it exactly."""

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.merging import person_merge, person_merge_undo
from earlyhelp.people.models import FamilyMembership, Involvement, Relationship
from tests.conftest import signed_in
from tests.factories import FamilyFactory, PersonFactory, add_member, relate

pytestmark = pytest.mark.django_db


def test_a_merge_moves_everything_hides_the_duplicate_and_can_be_undone(front_door, okafor, alice):
    duplicate = PersonFactory(first_name="Toby", last_name="Okafor", nhs_number="")
    kept = okafor.child
    other_family = FamilyFactory(name="Grandparents' household")
    add_member(other_family, duplicate)
    add_member(okafor.family, duplicate)  # already in the Okafors' family: removed, not repeated
    relate(okafor.mother, duplicate)  # the same as the mother's relationship to Tobi
    merge = person_merge(actor=front_door, kept=kept, duplicate=duplicate, reason="Same child, name misspelt")

    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate not in people_visible_to(front_door)
    assert set(FamilyMembership.objects.filter(person=kept).values_list("family__name", flat=True)) == {
        "The Okafor family",
        "Grandparents' household",
    }
    assert Relationship.objects.filter(to_person=kept).count() == 1
    assert AuditEvent.objects.for_target("people.person", duplicate.pk).filter(details__has_key="merged into").exists()

    person_merge_undo(actor=front_door, merge=merge)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert set(FamilyMembership.objects.filter(person=duplicate).values_list("family__name", flat=True)) == {
        "The Okafor family",
        "Grandparents' household",
    }
    assert Relationship.objects.filter(to_person=duplicate).count() == 1
    assert FamilyMembership.objects.filter(person=kept).count() == 1
    assert Involvement.objects.filter(person=kept, practitioner=alice).exists()


def test_an_identifier_only_the_duplicate_has_moves_to_the_record_kept_and_back(front_door):
    kept = PersonFactory(first_name="Ama", last_name="Mensah", nhs_number="")
    duplicate = PersonFactory(first_name="Amma", last_name="Mensah")
    number = duplicate.nhs_number
    merge = person_merge(actor=front_door, kept=kept, duplicate=duplicate, reason="Same")
    kept.refresh_from_db()
    assert kept.nhs_number == number
    person_merge_undo(actor=front_door, merge=merge)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (kept.nhs_number, duplicate.nhs_number) == ("", number)


def test_a_record_cannot_be_merged_into_itself_or_without_a_reason(front_door, okafor):
    with pytest.raises(ValidationError):
        person_merge(actor=front_door, kept=okafor.child, duplicate=okafor.child, reason="x")
    with pytest.raises(ValidationError):
        person_merge(actor=front_door, kept=okafor.child, duplicate=okafor.mother, reason=" ")


def test_the_front_door_merges_and_undoes_from_the_pages(front_door, okafor, coach):
    duplicate = PersonFactory(first_name="Toby", last_name="Okafor")
    client = signed_in(front_door)
    page = client.get(f"/people/{okafor.child.pk}/merge/", {"duplicate": duplicate.reference}).content.decode()
    assert "Toby Okafor" in page
    response = client.post(
        f"/people/{okafor.child.pk}/merge/",
        {"duplicate": duplicate.reference, "reason": "Same child", "confirm": "yes"},
    )
    assert response.status_code == 302
    assert client.get(f"/people/{duplicate.pk}/").status_code == 404
    detail = client.get(f"/people/{okafor.child.pk}/").content.decode()
    assert "Undo" in detail
    merge = okafor.child.merges_kept.get()
    assert client.post(f"/people/merges/{merge.pk}/undo/").status_code == 302
    assert client.get(f"/people/{duplicate.pk}/").status_code == 200
    assert signed_in(coach).get(f"/people/{okafor.child.pk}/merge/").status_code == 404
