"""The consent recorded on each contact moves into the three records of `sharing` (ADR 21): an
agreement to receive help and a consent to share (or their refusal), naming the people the
contact was matched to. The contact keeps its statement as the referral made it, and its history.
Contacts whose people are not matched yet are taken over when they are (`frontdoor/matching.py`).
"""

from django.db import migrations
from django.utils import timezone

LABEL = "Taken over from the referral (migration)"
UNNAMED = "Other agencies, not named on the referral: no partner may open the record until agencies are named"


def forwards(apps, schema_editor):
    Contact = apps.get_model("frontdoor", "Contact")
    ContactPerson = apps.get_model("frontdoor", "ContactPerson")
    AgreementToHelp = apps.get_model("sharing", "AgreementToHelp")
    ConsentToShare = apps.get_model("sharing", "ConsentToShare")
    people_of: dict[int, list[int]] = {}
    for contact_id, person_id in ContactPerson.objects.filter(person__isnull=False).values_list(
        "contact_id", "person_id"
    ):
        people_of.setdefault(contact_id, []).append(person_id)
    for contact in Contact.objects.exclude(consent="not_asked").iterator():
        people = people_of.get(contact.pk)
        if not people:
            continue
        reference = f"EH{contact.pk:07d}"
        given = contact.consent == "given"
        covers = set(contact.consent_covers or [])
        common = {
            "authority_id": contact.authority_id,
            "given_by": contact.consent_given_by or "Not recorded on the referral",
            "given_by_who": "not_recorded",
            "given_on": contact.consent_given_on or timezone.localdate(contact.received_at),
            "how": contact.consent_how or "not_recorded",
            "from_contact": reference,
            "recorded_by_label": LABEL,
        }
        records = []
        if not given or "early_help_service" in covers:
            records.append(AgreementToHelp.objects.create(agreed=given, **common))
        if not given or covers & {"share_with_agencies", "discuss_at_meeting"}:
            records.append(
                ConsentToShare.objects.create(
                    given=given,
                    capacity="not_recorded",
                    purpose=f"The help asked for in referral {reference}" if given else "",
                    at_meetings=given and "discuss_at_meeting" in covers,
                    with_whom=UNNAMED if given and "share_with_agencies" in covers else "",
                    **common,
                )
            )
        for record in records:
            record.people.set(people)


def backwards(apps, schema_editor):
    apps.get_model("sharing", "AgreementToHelp").objects.filter(recorded_by_label=LABEL).delete()
    apps.get_model("sharing", "ConsentToShare").objects.filter(recorded_by_label=LABEL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("frontdoor", "0004_versions"),
        ("sharing", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
