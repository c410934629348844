"""Django admin for feedback: figures and statuses only, never reflection or note text."""

from django.contrib import admin

from mentoring.admin import SupportAdmin, ViewOnlyAdmin

from .models import (
    Ask,
    BenefitItem,
    ComparisonCount,
    Goal,
    OutcomeImport,
    PairMetric,
    Reflection,
    SideMetric,
    Survey,
    SurveyResponse,
)
from .outcome_models import SURVEY_SCORES

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


# --- outcomes ------------------------------------------------------------------------------
# A person's outcome events (promotion, pay) are not registered at all: like the side's
# outcomes above, they reach nobody individually outside the import that recorded them.
@admin.register(Survey)
class SurveyAdmin(SupportAdmin):
    """The waves of a programme; an operator may move a wave's dates."""

    list_display = ["id", "programme", "wave", "opens_at", "closes_at"]
    list_filter = ["wave"]
    readonly_fields = ["programme", "wave"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ViewOnlyAdmin):
    """That someone answered a wave, and when; never the answers. The free-text answer is
    read by its author only (the survey form says so); the scores reach HR as averages over
    5 people or more, so one person's are not shown here either."""

    list_display = ["id", "survey", "participant", "created_at"]
    exclude = [*SURVEY_SCORES, "private_text"]


@admin.register(OutcomeImport)
class OutcomeImportAdmin(ViewOnlyAdmin):
    list_display = ["id", "programme", "kind", "file_name", "rows", "skipped", "created_at"]
    list_filter = ["kind"]


@admin.register(ComparisonCount)
class ComparisonCountAdmin(ViewOnlyAdmin):
    """Organisation-wide figures per department (no person in them)."""

    list_display = [
        "programme",
        "department",
        "period_start",
        "period_end",
        "headcount",
        "leavers",
        "promotions",
    ]
