"""Django admin for pairing. Private notes are never listed or shown here, not even by pk."""

from django.contrib import admin

from .models import (
    CalendarFeed,
    MatchRun,
    MentoringSession,
    Pair,
    PairingExclusion,
    PairMember,
    SessionParticipation,
)


class PairMemberInline(admin.TabularInline):
    model = PairMember
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ["id", "cohort", "status", "percent", "locked", "published_at"]
    list_filter = ["status", "locked", "cohort__programme"]
    inlines = [PairMemberInline]
    raw_id_fields = ["cohort", "match_run", "first_mentor", "end_requested_by"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "cohort", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["parameters", "summary"]


class SessionParticipationInline(admin.TabularInline):
    model = SessionParticipation
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    """Dates, durations and roles only: the pair's notes are theirs, not the operator's."""

    list_display = ["id", "pair", "scheduled_start", "status", "actual_minutes"]
    list_filter = ["status"]
    exclude = ["shared_notes"]
    inlines = [SessionParticipationInline]
    raw_id_fields = ["pair", "planned_mentor", "logged_by", "created_by"]


admin.site.register(PairingExclusion)
admin.site.register(
    CalendarFeed, list_display=["user", "created_at", "revoked_at"], exclude=["token"]
)
# PrivateNote and SessionLogRevision (which snapshots shared notes) are deliberately not
# registered: nobody but the author may read a private note.
