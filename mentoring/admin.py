"""The Django admin is a support tool, not a window onto what participants wrote.

Every ModelAdmin of the project derives from ``SupportAdmin`` (third-party ones are
re-registered below with it mixed in), which refuses any changelist query-string lookup
on a field that is not offered as a filter. Without it, ``?learned_text__startswith=a``
filters on a field the form hides, and the row count answers "does the hidden text
start with a?": an oracle that reads hidden text, tokens and demographics letter by
letter. ``tests/mentoring/test_admin_privacy.py`` walks every registered admin.
"""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django_celery_beat import admin as beat_admin
from django_celery_beat import models as beat_models

from .models import PendingTask, User, WorkerHeartbeat


class SupportAdmin(admin.ModelAdmin):
    """Base of every ModelAdmin: changelist lookups only on the fields offered as filters.

    A lookup on one of the model's own fields must name a ``list_filter`` entry, the
    ``date_hierarchy`` or an entry of ``filter_allow_list``; lookups across relations are
    already held to ``list_filter`` by Django. The primary key stays filterable (it is
    in every change URL anyway), and so do ``limit_choices_to`` pop-ups.
    """

    #: Extra local fields a query string may filter on, beyond ``list_filter``.
    filter_allow_list: tuple[str, ...] = ()

    def filterable_fields(self, request: HttpRequest) -> set[str]:
        names = {self.date_hierarchy, *self.filter_allow_list}
        for item in self.get_list_filter(request):
            if isinstance(item, (list, tuple)):
                item = item[0]
            names.add(item if isinstance(item, str) else getattr(item, "parameter_name", None))
        return {name.split(LOOKUP_SEP)[0] for name in names if name}

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        name = lookup.split(LOOKUP_SEP)[0]
        try:
            field = self.opts.get_field(name)
        except FieldDoesNotExist:
            field = None
        if (
            field is not None
            and not field.is_relation
            and not field.primary_key
            and name not in self.filterable_fields(request)
        ):
            return self._is_limit_choices_to_popup(lookup, value)
        return super().lookup_allowed(lookup, value, request)

    def _is_limit_choices_to_popup(self, lookup: str, value: str) -> bool:
        for fk_lookup in self.opts.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


class ViewOnlyAdmin(SupportAdmin):
    """Rows an operator may look at (and delete, where that is safe) but never add or edit."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AccountChangeForm(forms.ModelForm):
    """Django's change form minus its password field (not even its read-only hash)."""

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "time_zone",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
        ]


@admin.register(User)
class UserAdmin(SupportAdmin, DjangoUserAdmin):
    """Accounts: activate, deactivate, grant staff. Not a way to become somebody else.

    The sign-in address and the password are not editable here: an operator who could
    set either could sign in as a participant and read their private notes. People
    change them themselves (allauth's email and password-reset pages).
    """

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        ("Personal info", {"fields": ("first_name", "last_name", "time_zone", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    form = AccountChangeForm

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("email", "last_login", "date_joined") if obj else ()

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        raise PermissionDenied("Passwords are reset by their owner from the sign-in page.")


@admin.register(PendingTask)
class PendingTaskAdmin(ViewOnlyAdmin):
    """The outbox: see what is waiting, delete what must not run. Never edit or add a row:
    ``outbox_flush_task`` runs whatever task name and arguments a row holds."""

    list_display = ["task_name", "created_at", "attempts"]
    list_filter = ["task_name"]


admin.site.register(WorkerHeartbeat, SupportAdmin)


# --- third-party admins, re-registered with the lookup guard -------------------------------
class SafeGroupAdmin(SupportAdmin, GroupAdmin):
    pass


class SafeEmailAddressAdmin(ViewOnlyAdmin, EmailAddressAdmin):
    """Read-only: adding a verified address to an account would let it accept invitations
    sent to that address (and so take over somebody's participation)."""


class SafeAuthenticatorAdmin(ViewOnlyAdmin, AuthenticatorAdmin):
    """Which authenticators exist, never their secrets; delete one to reset a lost device."""

    exclude = ["data"]


def _reregister(model, admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


_reregister(Group, SafeGroupAdmin)
_reregister(EmailAddress, SafeEmailAddressAdmin)
_reregister(Authenticator, SafeAuthenticatorAdmin)
# Beat's schedule comes from settings (CELERY_BEAT_SCHEDULE): its admin is for looking only,
# since a periodic task's form runs any task with any arguments, like the outbox would.
for _model, _admin in (
    (beat_models.PeriodicTask, beat_admin.PeriodicTaskAdmin),
    (beat_models.ClockedSchedule, beat_admin.ClockedScheduleAdmin),
    (beat_models.CrontabSchedule, beat_admin.CrontabScheduleAdmin),
    (beat_models.SolarSchedule, beat_admin.SolarScheduleAdmin),
    (beat_models.IntervalSchedule, beat_admin.IntervalScheduleAdmin),
):
    _reregister(_model, type(f"ViewOnly{_admin.__name__}", (ViewOnlyAdmin, _admin), {}))
