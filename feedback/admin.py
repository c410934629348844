"""Django admin for feedback: figures and statuses only, never reflection or note text."""

from django.contrib import admin

from .models import Ask, BenefitItem, Goal, PairMetric, Reflection, SideMetric


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["id", "session", "author", "learned", "challenged", "listened", "power_shared"]
    exclude = ["learned_text", "change_text"]
    raw_id_fields = ["session", "author"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "pair", "progress", "status", "due_on"]
    list_filter = ["status"]
    raw_id_fields = ["pair", "owner"]


@admin.register(BenefitItem)
class BenefitItemAdmin(admin.ModelAdmin):
    list_display = ["id", "pair", "kind", "giver", "receiver", "status", "occurred_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["pair", "giver", "receiver", "recorded_by", "ask"]


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    list_display = ["id", "pair", "kind", "status"]
    exclude = ["answer"]
    raw_id_fields = ["pair", "asked_by"]


@admin.register(PairMetric)
class PairMetricAdmin(admin.ModelAdmin):
    list_display = [
        "pair",
        "sessions_held",
        "role_balance",
        "reciprocity_index",
        "stalled",
        "lopsided",
        "one_way",
        "computed_at",
    ]
    list_filter = ["stalled", "lopsided", "one_way"]


@admin.register(SideMetric)
class SideMetricAdmin(admin.ModelAdmin):
    list_display = ["pair", "participant", "benefit_score", "items_received", "computed_at"]
