"""Pairing runs and proposals (programme admins) and ending a pair (members)."""

from django.urls import path

from pairing.views import runs

urlpatterns = [
    path("cohorts/<int:cohort_id>/", runs.cohort_pairs, name="cohort_pairs"),
    path("cohorts/<int:cohort_id>/progress/", runs.run_progress, name="run_progress"),
    path("cohorts/<int:cohort_id>/runs/", runs.run_start, name="run_start"),
    path("cohorts/<int:cohort_id>/quality/", runs.proposal_quality_card, name="proposal_quality"),
    path("cohorts/<int:cohort_id>/swap/", runs.pairs_swap_view, name="pairs_swap"),
    path("cohorts/<int:cohort_id>/publish/", runs.pairs_publish_confirm, name="pairs_publish"),
    path("proposals/<int:pair_id>/lock/", runs.pair_lock_toggle, name="pair_lock"),
    path("proposals/<int:pair_id>/exclude/", runs.pair_exclude_confirm, name="pair_exclude"),
    path("pairs/<int:pair_id>/end/", runs.end_request, name="end_request"),
]
