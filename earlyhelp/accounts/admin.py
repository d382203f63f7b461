"""System administrators manage the organisation and its users here (ADR 18). No person or
family record is registered with the admin site: those are reached only through the audited pages.

- Every change is an audit row (`AuditedAdmin`).
- Roles are never typed onto a user: they are asked for as a role request, and one that opens
  children's records or the admin site waits for a second administrator's approval. Nobody asks
  for, or approves, their own.
- Administrators never set or see a password: a new user gets an invitation to set their own, and
  a forgotten one is replaced through a link sent to the user.
- Whether a user may use the admin site, or bypass its permissions, is not edited here.
- Two-step sign-in's secret keys are not shown here; a user who lost their phone and recovery
  codes has their two-step sign-in reset (never one's own), which ends their sessions.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from earlyhelp.accounts import granting, invitations, sessions, two_step
from earlyhelp.accounts.models import RoleRequest, SignedInSession
from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.organisations.models import Agency, Area, RoleAssignment, Team, User
from earlyhelp.organisations.roles import Role


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "authority"]
    list_filter = ["authority"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind", "area"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "area", "urn", "single_point_of_contact"]
    list_filter = ["kind", "area"]
    search_fields = ["name", "urn"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # The single point of contact is chosen from the agency's own active staff.
        field = form.base_fields.get("single_point_of_contact")
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = User.objects.filter(agency=obj, is_active=True) if obj else User.objects.none()
        return form


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    """The roles a user holds, shown; removed here at once; added only through a role request."""

    model = RoleAssignment
    extra = 0
    can_delete = True
    readonly_fields = ["role"]
    verbose_name = "role held"
    verbose_name_plural = "Roles held (to add one, ask for it under “Role requests”)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # to tick "delete"; the role itself is read-only


class UserForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "authority", "team", "agency", "fte", "is_active"]


@admin.register(User)
class UserAdmin(AuditedAdmin):
    form = UserForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation_name", "is_active"]
    list_filter = ["is_active", "role_assignments__role", "team", "agency"]
    search_fields = ["full_name", "email"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("About them", {"fields": ("full_name", "job_title", "authority", "team", "agency", "fte")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    actions = ["send_set_password_link", "reset_two_step"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Not the e-mail address of an existing user: with it, an administrator could send that
        # user's set-password link to themselves and sign in as them.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "email"] if obj is not None else fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.set_unusable_password()  # they set their own, from the invitation
        super().save_model(request, obj, form, change)

    def after_save(self, request: HttpRequest, obj: Any, change: bool) -> None:
        if change and not obj.is_active:
            ended = sessions.sessions_end(
                user=obj,
                sessions=sessions.open_sessions_of(obj),
                ending=SignedInSession.Ending.ACCOUNT_DISABLED,
                actor=_administrator(request),
            )
            if ended:
                messages.info(request, f"{obj} has been signed out of {ended} session(s).")
        if not change:
            invitations.invitation_send(actor=_administrator(request), user=obj, kind=invitations.Kind.INVITATION)
            messages.info(request, f"{obj} has been sent an invitation to set their password.")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        # Only removals: a role is never added or changed here (the inline has no field to change).
        removed = [deleted.instance for deleted in formset.deleted_forms if deleted.instance.pk]
        for assignment in removed:
            granting.role_remove(
                actor=_administrator(request),
                user=form.instance,
                role=assignment.role,
                reason="Removed in the admin site",
            )
        # What the admin's own change message reads of a formset it saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], removed

    @admin.action(description="Send a link to set their password")
    def send_set_password_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            invitations.invitation_send(actor=_administrator(request), user=user, kind=invitations.Kind.RESET)
        messages.info(request, f"Sent {queryset.count()} link(s) to set a password.")

    @admin.action(description="Reset their two-step sign-in (lost phone and recovery codes)")
    def reset_two_step(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                ended = two_step.reset(actor=_administrator(request), user=user)
            except two_step.TwoStepError as refused:
                messages.error(request, f"{user}: {refused}")
            else:
                messages.success(
                    request,
                    f"{user}: two-step sign-in reset and {ended} session(s) ended. They set it up again "
                    "at their next sign-in.",
                )


class RoleRequestForm(forms.ModelForm):  # type: ignore[type-arg]
    request: HttpRequest | None = None

    class Meta:
        model = RoleRequest
        fields = ["user", "role", "reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.request is not None and data.get("user") is not None and data.get("role"):
            problems = granting.role_request_problems(
                actor=_administrator(self.request),
                user=data["user"],
                role=str(data["role"]),
                reason=str(data.get("reason") or ""),
            )
            if problems:
                raise ValidationError(problems)
        return data


@admin.register(RoleRequest)
class RoleRequestAdmin(admin.ModelAdmin[RoleRequest]):
    """Asking for a role, and a second administrator's approval. Its writes are the granting
    services' own, each audited there."""

    form = RoleRequestForm
    list_display = ["user", "role", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    search_fields = ["user__full_name", "user__email"]
    actions = ["approve", "refuse"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("BoundRoleRequestForm", (form,), {"request": request})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return ["user", "role", "reason", "requested_by", "requested_at", "status", "decided_by", "decided_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the list and its actions; a request itself is decided, never edited

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = granting.role_request(actor=_administrator(request), user=obj.user, role=obj.role, reason=obj.reason)
        obj.pk = saved.pk
        if saved.status == RoleRequest.Status.GRANTED:
            messages.info(request, f"{Role(saved.role).label} opens no records: {saved.user} has it now.")
        else:
            messages.info(request, "A second administrator must approve this before it takes effect.")

    @admin.action(description="Approve the selected requests")
    def approve(self, request: HttpRequest, queryset: QuerySet[RoleRequest]) -> None:
        self._decide(request, queryset, granting.role_request_approve, "Approved in the admin site")

    @admin.action(description="Refuse the selected requests")
    def refuse(self, request: HttpRequest, queryset: QuerySet[RoleRequest]) -> None:
        self._decide(request, queryset, granting.role_request_refuse, "Refused in the admin site")

    def _decide(self, request: HttpRequest, queryset: QuerySet[RoleRequest], decide: Any, note: str) -> None:
        for role_request in queryset:
            try:
                decide(actor=_administrator(request), request=role_request, note=note, seen_version=None)
            except ValidationError as refused:
                messages.error(request, f"{role_request}: {'; '.join(refused.messages)}")
            else:
                messages.success(request, f"{Role(role_request.role).label} for {role_request.user}: {note.lower()}")


def _administrator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# Permissions come from roles (organisations/roles.py), never from Django's groups.
admin.site.unregister(Group)
# Two-step sign-in's devices hold each user's secret key: never shown in the admin site. An
# administrator resets a user's two-step sign-in with the action above, which is audited.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
# Background tasks' rows (ADR 30) are the worker's business: what they hold is read and changed by
# the services that queue them, audited there, and never edited by hand.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
