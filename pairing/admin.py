"""Django admin for pairing. Private notes are never listed or shown here, not even by pk.

Neither are the pair's own words (shared notes, cancel and end reasons, opt-out reasons)
nor calendar tokens, and a pair's membership is read-only: moving a participant into a
pair would let an operator read that pair's workspace.
"""

from django.contrib import admin

from mentoring.admin import SupportAdmin, ViewOnlyAdmin

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
    """Who is in the pair, read-only: membership changes go through the pairing screens."""

    model = PairMember
    extra = 0
    fields = readonly_fields = ["participant", "position", "current"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pair)
class PairAdmin(SupportAdmin):
    list_display = ["id", "cohort", "status", "percent", "locked", "published_at"]
    list_filter = ["status", "locked", "cohort__programme"]
    inlines = [PairMemberInline]
    exclude = ["end_reason", "reasons"]
    readonly_fields = ["cohort", "match_run", "end_requested_by", "ended_by_admin"]
    raw_id_fields = ["first_mentor"]
    # The pair page (get_absolute_url) is its members' alone: no "View on site" link here.
    view_on_site = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # pairs come from a pairing run or the swap screen


@admin.register(MatchRun)
class MatchRunAdmin(SupportAdmin):
    list_display = ["id", "cohort", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["parameters", "summary"]


class SessionParticipationInline(admin.TabularInline):
    model = SessionParticipation
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(MentoringSession)
class MentoringSessionAdmin(SupportAdmin):
    """Dates, durations and roles only: the pair's notes are theirs, not the operator's."""

    list_display = ["id", "pair", "scheduled_start", "status", "actual_minutes"]
    list_filter = ["status"]
    exclude = ["shared_notes", "cancel_reason"]
    inlines = [SessionParticipationInline]
    readonly_fields = ["pair"]
    raw_id_fields = ["planned_mentor", "logged_by", "created_by"]
    view_on_site = False  # the session page is the pair's members' alone


@admin.register(PairingExclusion)
class PairingExclusionAdmin(SupportAdmin):
    """Who opted out of whom (so a pairing surprise can be explained), never why."""

    list_display = ["participant", "excluded", "created_at"]
    exclude = ["reason"]
    raw_id_fields = ["participant", "excluded"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ViewOnlyAdmin):
    """Which feeds exist; revoke one by deleting it. Only a hash of the token is stored."""

    list_display = ["user", "created_at", "revoked_at"]
    exclude = ["token_hash"]


# PrivateNote and SessionLogRevision (which snapshots shared notes) are deliberately not
# registered: nobody but the author may read a private note.
