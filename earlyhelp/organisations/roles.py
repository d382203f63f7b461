"""Roles and the named permissions each one grants.

This module is the one place that says who may do what. Views and access functions ask
`user.can(Permission.X)`; they never test for a role by name.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    FRONT_DOOR_PRACTITIONER = "front_door_practitioner", "Front door practitioner"
    FAMILY_COACH = "family_coach", "Family coach"
    TEAM_LEADER = "team_leader", "Team leader"
    FORUM_COORDINATOR = "forum_coordinator", "Forum coordinator"
    BUSINESS_SUPPORT_OFFICER = "business_support_officer", "Business support officer"
    PARTNER_PRACTITIONER = "partner_practitioner", "Partner practitioner"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    # Decides case by case when demand exceeds a team's capacity (FF §5.4: no waiting list).
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    # Children's social care staff: a child in need's overseeing social worker (Family Help),
    # and later the receiver of step-ups.
    SOCIAL_WORKER = "social_worker", "Social worker"
    # Answers for information governance: who looked at a child's record and why, subject access.
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"


class Permission(StrEnum):
    # Every person and family record in the user's own authority.
    VIEW_AUTHORITY_RECORDS = "view_authority_records"
    EDIT_AUTHORITY_RECORDS = "edit_authority_records"
    # Only the people the user referred or works with (partner practitioners).
    VIEW_OWN_RECORDS = "view_own_records"
    EDIT_OWN_RECORDS = "edit_own_records"
    ADD_PEOPLE = "add_people"
    # "Who has viewed this record": for those who answer for information governance.
    VIEW_RECORD_ACCESS_LOG = "view_record_access_log"
    VIEW_TEAM = "view_team"
    VIEW_AGGREGATE_FIGURES = "view_aggregate_figures"
    ADMINISTER_ORGANISATIONS = "administer_organisations"
    # The front door: referring a family, triaging contacts, and a team leader's confirmation
    # of a signpost made against the thresholds tool's advice.
    MAKE_REFERRALS = "make_referrals"
    TRIAGE_CONTACTS = "triage_contacts"
    CONFIRM_TRIAGE_OVERRIDES = "confirm_triage_overrides"
    # Merging two records of the same person (and undoing a merge).
    MERGE_PEOPLE = "merge_people"
    # A family support team's list of new referrals awaiting a coach.
    VIEW_TEAM_REFERRALS = "view_team_referrals"
    # Casework: holding families (a coach's caseload, "My families"), allocating them to coaches
    # and overseeing the team's work (team leaders), deciding on demand beyond capacity (the head
    # of service), overseeing a child in need (a social worker). Leading an episode as a partner
    # needs none of these: the lead practitioner is named on the episode itself.
    HOLD_CASELOAD = "hold_caseload"
    ALLOCATE_EPISODES = "allocate_episodes"
    VIEW_EVERY_TEAM = "view_every_team"
    DECIDE_BEYOND_CAPACITY = "decide_beyond_capacity"
    OVERSEE_CHILDREN_IN_NEED = "oversee_children_in_need"
    # Health and disability details: a field-level limit, for the roles whose work needs them
    # (a partner opens them only with consent: sharing/rules.py).
    VIEW_HEALTH_DETAILS = "view_health_details"
    # Recording a decision to share information, which may open parts of a record to an agency.
    RECORD_SHARING_DECISIONS = "record_sharing_decisions"
    # Retention: reviewing families due for disposal, disposing of them, legal holds.
    MANAGE_RETENTION = "manage_retention"
    # Restricting a person or family to named users (a staff member's family, a high-profile case).
    RESTRICT_RECORDS = "restrict_records"


_STAFF_CASEWORK = {
    Permission.VIEW_AUTHORITY_RECORDS,
    Permission.EDIT_AUTHORITY_RECORDS,
    Permission.ADD_PEOPLE,
    Permission.MAKE_REFERRALS,
}
# Those who work with families directly: forum coordinators and business support see records
# but not health details.
_PRACTICE = {Permission.VIEW_HEALTH_DETAILS, Permission.RECORD_SHARING_DECISIONS}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DOOR_PRACTITIONER: frozenset(
        _STAFF_CASEWORK | _PRACTICE | {Permission.TRIAGE_CONTACTS, Permission.MERGE_PEOPLE}
    ),
    Role.FAMILY_COACH: frozenset(
        _STAFF_CASEWORK | _PRACTICE | {Permission.VIEW_TEAM_REFERRALS, Permission.HOLD_CASELOAD}
    ),
    Role.TEAM_LEADER: frozenset(
        _STAFF_CASEWORK
        | _PRACTICE
        | {
            Permission.VIEW_RECORD_ACCESS_LOG,
            Permission.VIEW_TEAM,
            Permission.VIEW_AGGREGATE_FIGURES,
            Permission.TRIAGE_CONTACTS,
            Permission.CONFIRM_TRIAGE_OVERRIDES,
            Permission.VIEW_TEAM_REFERRALS,
            Permission.MERGE_PEOPLE,
            Permission.ALLOCATE_EPISODES,
            Permission.RESTRICT_RECORDS,
        }
    ),
    Role.HEAD_OF_SERVICE: frozenset(
        _STAFF_CASEWORK
        | _PRACTICE
        | {
            Permission.VIEW_RECORD_ACCESS_LOG,
            Permission.VIEW_TEAM,
            Permission.VIEW_EVERY_TEAM,
            Permission.VIEW_AGGREGATE_FIGURES,
            Permission.DECIDE_BEYOND_CAPACITY,
            Permission.RESTRICT_RECORDS,
        }
    ),
    Role.SOCIAL_WORKER: frozenset(_STAFF_CASEWORK | _PRACTICE | {Permission.OVERSEE_CHILDREN_IN_NEED}),
    Role.FORUM_COORDINATOR: frozenset(_STAFF_CASEWORK),
    Role.BUSINESS_SUPPORT_OFFICER: frozenset(_STAFF_CASEWORK),
    Role.PARTNER_PRACTITIONER: frozenset(
        {Permission.VIEW_OWN_RECORDS, Permission.EDIT_OWN_RECORDS, Permission.ADD_PEOPLE, Permission.MAKE_REFERRALS}
    ),
    # Reads records to answer for them (who looked, and why); changes none.
    Role.INFORMATION_GOVERNANCE: frozenset(
        {Permission.VIEW_AUTHORITY_RECORDS, Permission.VIEW_RECORD_ACCESS_LOG, Permission.MANAGE_RETENTION}
    ),
    # Analysts work with figures, never with a named child's record.
    Role.PERFORMANCE_ANALYST: frozenset({Permission.VIEW_AGGREGATE_FIGURES}),
    # Administrators run the system; running it gives no right to read children's records.
    Role.SYSTEM_ADMINISTRATOR: frozenset({Permission.ADMINISTER_ORGANISATIONS, Permission.VIEW_AGGREGATE_FIGURES}),
}


def permissions_for(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
