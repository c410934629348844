"""Stored summaries the HR dashboard reads, refreshed by Celery (``insights.tasks``).

Pages never compute these from sessions: ``dashboard_refresh_task`` rewrites a
programme's rows nightly and after a metrics recompute. Per-side figures come from
feedback's ``SideMetric`` / ``PairMetric``, which are stored already.
"""

from django.db import models

from pairing.models import Pair
from programmes.models import Cohort, Programme

# Pairs that were shown to their members (proposals are not part of the programme yet).
DASHBOARD_PAIR_STATUSES = (
    Pair.Status.PUBLISHED,
    Pair.Status.ACTIVE,
    Pair.Status.COMPLETED,
    Pair.Status.ENDED_EARLY,
)


class PairFact(models.Model):
    """Per-pair timing figures: time to first session, cadence adherence, activity."""

    pair = models.OneToOneField(Pair, on_delete=models.CASCADE, related_name="insight_fact")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    members = models.PositiveSmallIntegerField(default=2, help_text="People in the pair.")
    published_on = models.DateField(null=True, blank=True)
    first_session_on = models.DateField(null=True, blank=True)
    days_to_first_session = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days from publication to the first held session."
    )
    sessions_held = models.PositiveIntegerField(default=0)
    cadence_windows = models.PositiveIntegerField(
        default=0, help_text="Whole cadence periods from publication to the end or today."
    )
    windows_with_session = models.PositiveIntegerField(
        default=0, help_text="Of those periods, how many had at least one held session."
    )
    active = models.BooleanField(
        default=False, help_text="Live, with a held session within the last cadence period."
    )
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["programme", "cohort"])]

    def __str__(self) -> str:
        return f"Dashboard figures of pair {self.pair_id}"

    @property
    def cadence_adherence(self) -> float | None:
        """0–1: the share of cadence periods with a held session."""
        if not self.cadence_windows:
            return None
        return self.windows_with_session / self.cadence_windows


class CohortMonth(models.Model):
    """One cohort's sessions in one calendar month (for "sessions per pair over time")."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    pairs_live = models.PositiveIntegerField(
        default=0, help_text="Pairs published by the month's end and not ended before it."
    )
    people_live = models.PositiveIntegerField(default=0)
    sessions_held = models.PositiveIntegerField(default=0)
    pairs_met = models.PositiveIntegerField(
        default=0, help_text="Live pairs with at least one held session in the month."
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "month"], name="cohort_month_unique")
        ]
        indexes = [models.Index(fields=["programme", "month"])]

    def __str__(self) -> str:
        return f"{self.cohort_id} in {self.month:%Y-%m}"


class DashboardRefresh(models.Model):
    """When a programme's summaries were last rewritten (the page says "figures as of")."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="dashboard_refresh"
    )
    computed_at = models.DateTimeField()
    pairs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Dashboard of {self.programme_id} as of {self.computed_at:%Y-%m-%d %H:%M}"


class DashboardSnapshot(models.Model):
    """A programme's charts for one cohort (or all) and one breakdown, built by Celery.

    The page reads these when no date range is chosen: one row, whatever the size.
    ``charts`` holds ``insights.aggregates.contract.chart_to_dict`` of each chart, already
    suppressed (only aggregates: never a name, a text or one person's figure).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    breakdown = models.CharField(max_length=20)
    charts = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        # Not unique: "all cohorts" is a NULL cohort, and NULLs are distinct in a unique
        # constraint. The refresh replaces a programme's rows in one transaction; the
        # page reads the newest.
        indexes = [models.Index(fields=["programme", "cohort", "breakdown", "-computed_at"])]

    def __str__(self) -> str:
        return f"Dashboard of {self.programme_id} ({self.cohort_id or 'all'}, {self.breakdown})"
