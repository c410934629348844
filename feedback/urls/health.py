"""Pair health for programme admins (mounted under /feedback/, namespace ``feedback``)."""

from django.urls import path

from feedback.views import health

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
    path("attention/", health.attention, name="attention"),
]
