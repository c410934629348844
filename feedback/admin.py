"""Django admin for feedback: figures and statuses only, never reflection or note text."""

from django.contrib import admin

from mentoring.admin import SupportAdmin, ViewOnlyAdmin

from .models import Ask, BenefitItem, Goal, PairMetric, Reflection, SideMetric

REFLECTION_RATINGS = ("learned", "challenged", "listened", "power_shared")
SIDE_RATING_FIGURES = (
    "learned_mean",
    "challenged_mean",
    "listened_mean",
    "power_shared_mean",
    "benefit_score",
)


@admin.register(Reflection)
class ReflectionAdmin(ViewOnlyAdmin):
    """That a reflection exists, and when; never what it says.

    The reflection form promises "your ratings stay yours": programme admins see only a
    pair's mixed average, so an operator must not read one person's ratings here either.
    """

    list_display = ["id", "session", "author", "created_at"]
    exclude = [*REFLECTION_RATINGS, "learned_text", "change_text"]


@admin.register(Goal)
class GoalAdmin(SupportAdmin):
    list_display = ["id", "owner", "pair", "progress", "status", "due_on"]
    list_filter = ["status"]
    exclude = ["description"]
    readonly_fields = ["pair", "owner"]


@admin.register(BenefitItem)
class BenefitItemAdmin(ViewOnlyAdmin):
    """Kinds and statuses; what was done (it may quote an ask's answer) and why it was
    disputed are between the two sides."""

    list_display = ["id", "pair", "kind", "giver", "receiver", "status", "occurred_on"]
    list_filter = ["kind", "status"]
    exclude = ["description", "dispute_reason"]


@admin.register(Ask)
class AskAdmin(ViewOnlyAdmin):
    list_display = ["id", "pair", "kind", "status"]
    list_filter = ["kind", "status"]
    exclude = ["detail", "answer"]


@admin.register(PairMetric)
class PairMetricAdmin(ViewOnlyAdmin):
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
class SideMetricAdmin(ViewOnlyAdmin):
    """Computed by Celery, so read-only. A person's outcomes (promotion, pay) stay out, and so
    do the side's own rating means and the benefit score built from them (see
    ``ReflectionAdmin``)."""

    list_display = ["pair", "participant", "items_received", "items_given", "computed_at"]
    exclude = [*SIDE_RATING_FIGURES, "outcomes"]
