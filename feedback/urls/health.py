"""Pair health for programme admins (mounted under /feedback/, namespace ``feedback``)."""

from django.urls import path

from feedback.views import health, health_actions

urlpatterns = [
    path("programmes/<slug:slug>/pairs/", health.pair_health, name="pair_health"),
    path(
        "programmes/<slug:slug>/pairs/recompute/",
        health.pair_health_recompute,
        name="pair_health_recompute",
    ),
    path(
        "programmes/<slug:slug>/pairs/recompute/progress/",
        health.pair_health_recompute_progress,
        name="pair_health_recompute_progress",
    ),
    path(
        "programmes/<slug:slug>/pairs/summary/",
        health.programme_health_summary,
        name="programme_health_summary",
    ),
    path("pairs/<int:pair_id>/health/", health.pair_health_detail_view, name="pair_health_detail"),
    path(
        "pairs/<int:pair_id>/health/notes/",
        health_actions.pair_health_note_add,
        name="pair_health_note_add",
    ),
    path(
        "pairs/<int:pair_id>/health/snooze/",
        health_actions.pair_health_snooze,
        name="pair_health_snooze",
    ),
    path(
        "pairs/<int:pair_id>/health/snoozes/<int:snooze_id>/lift/",
        health_actions.pair_health_unsnooze,
        name="pair_health_unsnooze",
    ),
    path(
        "pairs/<int:pair_id>/health/nudge/",
        health_actions.pair_health_nudge,
        name="pair_health_nudge",
    ),
    path("pairs/<int:pair_id>/health/end/", health_actions.pair_health_end, name="pair_health_end"),
    path("attention/", health.attention, name="attention"),
]
