from django.urls import path

from earlyhelp.casework import network_views, supervision_views, supporting_families_views, transfer_views, views

app_name = "casework"

urlpatterns = [
    path("my-families/", views.my_families, name="my-families"),
    path("team/", views.my_team, name="my-team"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/supervision/", supervision_views.team_supervision, name="supervision"),
    path(
        "teams/<int:pk>/supervision/individual/",
        supervision_views.individual_supervision_add,
        name="supervision-individual",
    ),
    path("teams/<int:pk>/supervision/group/", supervision_views.group_supervision_add, name="supervision-group"),
    path("episodes/<int:pk>/", views.episode, name="episode"),
    path("episodes/<int:pk>/case-supervision/", supervision_views.case_supervision_add, name="case-supervision"),
    path("episodes/<int:pk>/not-improving/<int:flag_pk>/", supervision_views.not_improving, name="not-improving"),
    path("episodes/<int:pk>/allocate/", views.allocate, name="allocate"),
    path("episodes/<int:pk>/ask-the-head-of-service/", views.escalate, name="escalate"),
    path("episodes/<int:pk>/legal-basis/", views.legal_basis, name="legal-basis"),
    path("episodes/<int:pk>/lead-practitioner/", views.lead_practitioner, name="lead-practitioner"),
    path("episodes/<int:pk>/visits/add/", views.visit_add, name="visit-add"),
    path("episodes/<int:pk>/case-notes/<int:note_pk>/", views.case_note, name="case-note"),
    path("episodes/<int:pk>/oversight/add/", views.oversight_add, name="oversight-add"),
    path("episodes/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("episodes/<int:pk>/assessments/<int:assessment_pk>/", views.assessment_detail, name="assessment-detail"),
    path("episodes/<int:pk>/team-around-the-family/", views.team_around_the_family, name="team-around-the-family"),
    path("episodes/<int:pk>/team-around-the-family/<int:member_pk>/leave/", views.member_leave, name="member-leave"),
    path("episodes/<int:pk>/plan/", views.plan, name="plan"),
    path("episodes/<int:pk>/plan/<int:action_pk>/", views.plan_action, name="plan-action"),
    path("episodes/<int:pk>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("episodes/<int:pk>/close/", views.close, name="close"),
    path(
        "episodes/<int:pk>/supporting-families/",
        supporting_families_views.supporting_families,
        name="supporting-families",
    ),
    path(
        "episodes/<int:pk>/supporting-families/six-month-check/",
        supporting_families_views.sustained_check,
        name="sustained-check",
    ),
    path("supporting-families/checks/", supporting_families_views.checks, name="sustained-checks"),
    path("episodes/<int:pk>/family-network/", network_views.family_network, name="family-network"),
    path(
        "episodes/<int:pk>/family-network/<int:meeting_pk>/",
        network_views.family_network_meeting,
        name="family-network-meeting",
    ),
    path("episodes/<int:pk>/step-up/", transfer_views.step_up, name="step-up"),
    path("episodes/<int:pk>/step-up/<int:step_up_pk>/decide/", transfer_views.step_up_decide, name="step-up-decide"),
    path(
        "episodes/<int:pk>/step-up/<int:step_up_pk>/hand-over/",
        transfer_views.step_up_hand_over,
        name="step-up-hand-over",
    ),
    path(
        "episodes/<int:pk>/step-up/<int:step_up_pk>/ending-letter/",
        transfer_views.step_up_letter,
        name="step-up-letter",
    ),
    path("episodes/<int:pk>/closure-letter/", views.closure_letter, name="closure-letter"),
    path("transfer-panel/", transfer_views.transfer_panel, name="transfer-panel"),
    path("transfer-panel/propose/", transfer_views.step_down_propose, name="step-down-propose"),
    path("transfer-panel/<int:pk>/", transfer_views.step_down, name="step-down"),
    path("transfer-panel/<int:pk>/hand-over/", transfer_views.step_down_hand_over, name="step-down-hand-over"),
    path("transfer-panel/<int:pk>/letter/", transfer_views.step_down_letter, name="step-down-letter"),
    path(
        "transfer-panel/<int:pk>/social-care-closed/",
        transfer_views.step_down_social_care_closed,
        name="step-down-social-care-closed",
    ),
    path("beyond-capacity/", views.capacity, name="capacity"),
    path("beyond-capacity/<int:pk>/", views.capacity_decide, name="capacity-decide"),
]
