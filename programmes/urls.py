"""Programme URLs (mounted at /programmes/, namespace ``programmes``)."""

from django.urls import path

from .views import cohorts, imports, participation, programmes, roles, skills

app_name = "programmes"

urlpatterns = [
    # Programme admins
    path("", programmes.programme_list, name="programme_list"),
    path("new/", programmes.programme_create_view, name="programme_create"),
    path("p/<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("p/<slug:slug>/edit/", programmes.programme_edit, name="programme_edit"),
    path("p/<slug:slug>/status/", programmes.programme_status, name="programme_status"),
    path("p/<slug:slug>/cohorts/new/", cohorts.cohort_create_view, name="cohort_create"),
    path("p/<slug:slug>/roles/", roles.roles, name="roles"),
    path("roles/<int:role_id>/revoke/", roles.role_revoke_view, name="role_revoke"),
    path("p/<slug:slug>/skills/", skills.skills, name="skills"),
    path("p/<slug:slug>/skills/merge/", skills.skill_merge_view, name="skill_merge"),
    path("cohorts/<int:cohort_id>/", cohorts.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:cohort_id>/export.csv", cohorts.cohort_export, name="cohort_export"),
    path(
        "cohorts/<int:cohort_id>/invite/",
        cohorts.participant_invite_view,
        name="participant_invite",
    ),
    path(
        "participants/<int:participant_id>/resend/",
        cohorts.participant_resend,
        name="participant_resend",
    ),
    path("cohorts/<int:cohort_id>/import/", imports.import_upload, name="import_upload"),
    path(
        "cohorts/<int:cohort_id>/import/template.csv",
        imports.import_template,
        name="import_template",
    ),
    path(
        "cohorts/<int:cohort_id>/import/<uuid:import_id>/",
        imports.import_preview_view,
        name="import_preview",
    ),
    # Invitees and participants
    path("invitations/<str:token>/", participation.invitation, name="invitation"),
    path("my/", participation.my_programme, name="my_programme"),
    path("my/<int:participant_id>/charter/", participation.charter, name="charter"),
    path("my/<int:participant_id>/profile/", participation.profile, name="profile"),
    path("my/<int:participant_id>/withdraw/", participation.withdraw, name="withdraw"),
]
