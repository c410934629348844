"""Outcome data (mounted under /feedback/, namespace ``feedback``): a participant's surveys;
a programme's outcome imports for its admins and HR viewers."""

from django.urls import path

from feedback.views import outcomes, surveys

IMPORT = "programmes/<slug:slug>/outcomes/import/<str:kind>/"

urlpatterns = [
    path(
        "my/<int:participant_id>/surveys/<str:wave>/", surveys.survey_answer, name="survey_answer"
    ),
    path("programmes/<slug:slug>/outcomes/", outcomes.outcomes_home, name="outcomes_home"),
    path(IMPORT, outcomes.outcome_import_upload, name="outcome_import_upload"),
    path(IMPORT + "template.csv", outcomes.outcome_import_template, name="outcome_import_template"),
    path(
        IMPORT + "<uuid:import_id>/", outcomes.outcome_import_preview, name="outcome_import_preview"
    ),
    path(
        IMPORT + "<uuid:import_id>/rows-to-fix.csv",
        outcomes.outcome_import_skipped,
        name="outcome_import_skipped",
    ),
]
