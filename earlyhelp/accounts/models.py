"""Who may do what is granted, never taken: a role is asked for by one administrator and, when it
opens children's records or the admin site, takes effect only once a second administrator
approves it. Nobody asks for, or approves, a role for themselves (ADR 18)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from earlyhelp.core.workflow import Transitions
from earlyhelp.organisations.roles import Role


class RoleRequest(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a second administrator"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    TRANSITIONS = Transitions({Status.WAITING: (Status.GRANTED, Status.REFUSED)})

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(max_length=30, choices=Role.choices)
    reason = models.TextField(help_text="Why they need it: their job, the team they join")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Null for a role that opens no records: granted as it was asked for, with nobody else's check.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requested_by=F("user")), name="role_never_asked_for_oneself"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | (~Q(decided_by=F("user")) & ~Q(decided_by=F("requested_by"))),
                name="role_decided_by_a_second_administrator",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(status="waiting"), name="role_asked_for_once_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{Role(self.role).label} for {self.user} ({self.get_status_display().lower()})"


class SignedInSession(models.Model):
    """One signed-in browser: what a user sees on "Your sessions" and can end (sessions.py)."""

    class Ending(models.TextChoices):
        SIGNED_OUT = "signed_out", "Signed out"
        IDLE = "idle", "Signed out after a time without using the service"
        TOO_LONG = "too_long", "Signed out at the longest a session may last"
        ENDED_BY_USER = "ended_by_user", "Ended from another session"
        ACCOUNT_DISABLED = "account_disabled", "Account disabled"
        TWO_STEP_RESET = "two_step_reset", "Two-step sign-in reset by an administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(max_length=20, choices=Ending.choices, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"], name="sessions_of_a_user")]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
