"""Django admin for programmes: a support tool. Demographics are not listed."""

from django.contrib import admin

from .models import AuditEvent, Cohort, Invitation, Participant, Programme, ProgrammeRole, Skill


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    raw_id_fields = ["user", "granted_by"]
    fk_name = "programme"


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "alternation", "status", "starts_on", "ends_on"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]
    inlines = [ProgrammeRoleInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on"]
    list_filter = ["programme"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "cohort", "department", "status"]
    list_filter = ["status", "cohort__programme"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["user", "manager", "cohort"]
    exclude = ["gender", "birth_year"]  # consented data: pairing and aggregates only
    filter_horizontal = ["skills_offered", "skills_wanted"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cohort", "sent_at", "accepted_at", "expires_at"]
    list_filter = ["cohort__programme"]
    search_fields = ["email"]
    raw_id_fields = ["participant", "cohort", "created_by"]
    exclude = ["token"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "programme", "actor", "action"]
    list_filter = ["action", "programme"]
    raw_id_fields = ["actor", "programme"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
