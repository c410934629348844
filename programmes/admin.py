"""Django admin for programmes: a support tool.

Demographics, withdrawal reasons and profile goals are not shown, and nobody's
participation can be re-pointed here (its account, address and cohort are read-only;
invitations are view-only): an operator who could attach a participant to their own
account would read that person's private notes.
"""

from django.contrib import admin

from mentoring.admin import SupportAdmin, ViewOnlyAdmin

from .models import (
    AuditEvent,
    Cohort,
    Invitation,
    Participant,
    Programme,
    ProgrammeRole,
    Skill,
    StaffInvitation,
)


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    raw_id_fields = ["user", "granted_by"]
    fk_name = "programme"


@admin.register(Programme)
class ProgrammeAdmin(SupportAdmin):
    list_display = ["name", "kind", "alternation", "status", "starts_on", "ends_on"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]
    inlines = [ProgrammeRoleInline]


@admin.register(Cohort)
class CohortAdmin(SupportAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on"]
    list_filter = ["programme"]


@admin.register(Skill)
class SkillAdmin(SupportAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Participant)
class ParticipantAdmin(SupportAdmin):
    list_display = ["email", "first_name", "last_name", "cohort", "department", "status"]
    list_filter = ["status", "cohort__programme"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["manager"]
    # Consented demographics serve pairing and aggregates only; the withdrawal reason and
    # the profile's goals are the participant's own words.
    exclude = ["gender", "gender_self_description", "birth_year", "withdrawn_reason", "goals"]
    readonly_fields = ["user", "email", "cohort", "demographics_consent", "withdrawn_by"]
    filter_horizontal = ["skills_offered", "skills_wanted"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # people join through an invitation (one by one or CSV), not here


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyAdmin):
    """View-only: re-addressing an invitation would hand somebody's seat to another account."""

    list_display = ["email", "cohort", "sent_at", "accepted_at", "expires_at"]
    list_filter = ["cohort__programme"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(ViewOnlyAdmin):
    """View-only, like participants' invitations: re-addressing one would hand a role to
    another account. Admins resend and revoke them from the programme's roles page."""

    list_display = ["email", "role", "programme", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "programme"]
    search_fields = ["email"]
    exclude = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(SupportAdmin):
    list_display = ["created_at", "programme", "actor", "action"]
    list_filter = ["action", "programme"]
    raw_id_fields = ["actor", "programme"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
