from django.urls import path

from earlyhelp.frontdoor.views import lists, referral, self_referral, triage

app_name = "frontdoor"

urlpatterns = [
    # A professional's referral
    path("refer/", referral.start, name="refer-start"),
    path("refer/discard/", referral.discard, name="refer-discard"),
    path("refer/children/", referral.people_list, {"group": "children"}, name="refer-children"),
    path("refer/children/add/", referral.person_edit, {"group": "children"}, name="refer-child-add"),
    path("refer/children/<int:index>/", referral.person_edit, {"group": "children"}, name="refer-child-edit"),
    path(
        "refer/children/<int:index>/remove/", referral.person_remove, {"group": "children"}, name="refer-child-remove"
    ),
    path(
        "refer/children/<int:index>/use-record/",
        referral.person_use_record,
        {"group": "children"},
        name="refer-child-use-record",
    ),
    path("refer/adults/", referral.people_list, {"group": "adults"}, name="refer-adults"),
    path("refer/adults/add/", referral.person_edit, {"group": "adults"}, name="refer-adult-add"),
    path("refer/adults/<int:index>/", referral.person_edit, {"group": "adults"}, name="refer-adult-edit"),
    path("refer/adults/<int:index>/remove/", referral.person_remove, {"group": "adults"}, name="refer-adult-remove"),
    path(
        "refer/adults/<int:index>/use-record/",
        referral.person_use_record,
        {"group": "adults"},
        name="refer-adult-use-record",
    ),
    path("refer/level-of-need/", referral.level_of_need, name="refer-level-of-need"),
    path("refer/check/", referral.check, name="refer-check"),
    path("refer/sent/<int:pk>/", referral.sent, name="refer-sent"),
    path("refer/call-999/<int:pk>/", referral.stop, name="refer-stop"),
    path("refer/<slug:step>/", referral.step, name="refer-step"),
    path("referrals/", lists.my_referrals, name="my-referrals"),
    # A family's own request
    path("ask-for-help/", self_referral.ask_for_help, name="ask"),
    path("ask-for-help/sent/", self_referral.ask_sent, name="ask-sent"),
    # Triage
    path("front-door/", triage.queue, name="queue"),
    path("front-door/contacts/<int:pk>/", triage.contact_detail, name="contact"),
    path("front-door/contacts/<int:pk>/people/<int:entry_pk>/", triage.contact_person, name="contact-person"),
    path("front-door/contacts/<int:pk>/level-of-need/", triage.contact_level, name="contact-level"),
    path("front-door/contacts/<int:pk>/consent/", triage.contact_consent, name="contact-consent"),
    path("front-door/contacts/<int:pk>/decide/", triage.contact_decide, name="contact-decide"),
    path("front-door/contacts/<int:pk>/letter/", triage.contact_letter, name="contact-letter"),
    path("front-door/decisions-to-confirm/", triage.confirmations, name="confirmations"),
    path("front-door/decisions-to-confirm/<int:decision_pk>/", triage.confirmation, name="confirmation"),
    path("front-door/awaiting-a-meeting/", lists.awaiting_meeting, name="awaiting-meeting"),
    path("family-support/new-referrals/", lists.team_referrals, name="team-referrals"),
]
