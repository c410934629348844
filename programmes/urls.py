"""Programme URLs (mounted at /programmes/, namespace ``programmes``)."""

from django.urls import path

from .views import (
    cohorts,
    imports,
    nominations,
    participants,
    participation,
    programmes,
    reminders,
    roles,
    skills,
    staff_invitations,
)

app_name = "programmes"

urlpatterns = [
    # Programme admins
    path("", programmes.programme_list, name="programme_list"),
    path("new/", programmes.programme_create_view, name="programme_create"),
    path("p/<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("p/<slug:slug>/edit/", programmes.programme_edit, name="programme_edit"),
    path("p/<slug:slug>/status/", programmes.programme_status, name="programme_status"),
    path(
        "p/<slug:slug>/open-enrolment/",
        programmes.programme_open_enrolment_view,
        name="programme_open_enrolment",
    ),
    path("p/<slug:slug>/close/", programmes.programme_close_view, name="programme_close"),
    path("p/<slug:slug>/cohorts/new/", cohorts.cohort_create_view, name="cohort_create"),
    path("p/<slug:slug>/roles/", roles.roles, name="roles"),
    path("p/<slug:slug>/reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("roles/<int:role_id>/revoke/", roles.role_revoke_view, name="role_revoke"),
    path(
        "roles/invitations/<int:invitation_id>/resend/",
        roles.staff_invitation_resend_view,
        name="staff_invitation_resend",
    ),
    path(
        "roles/invitations/<int:invitation_id>/revoke/",
        roles.staff_invitation_revoke_view,
        name="staff_invitation_revoke",
    ),
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
    path(
        "participants/<int:participant_id>/",
        participants.participant_manage,
        name="participant_manage",
    ),
    path(
        "participants/<int:participant_id>/edit/",
        participants.participant_edit,
        name="participant_edit",
    ),
    path(
        "participants/<int:participant_id>/move/",
        participants.participant_move_view,
        name="participant_move",
    ),
    path(
        "participants/<int:participant_id>/withdraw/",
        participants.participant_withdraw_admin,
        name="participant_withdraw_admin",
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
    path(
        "cohorts/<int:cohort_id>/import/<uuid:import_id>/rows-to-fix.csv",
        imports.import_skipped,
        name="import_skipped",
    ),
    # Self-nomination: the queue and the sign-up links (admins), the sign-up page (public)
    path(
        "p/<slug:slug>/applications/",
        nominations.application_queue,
        name="application_queue",
    ),
    path(
        "applications/<int:application_id>/approve/",
        nominations.application_approve_view,
        name="application_approve",
    ),
    path(
        "applications/<int:application_id>/decline/",
        nominations.application_decline_view,
        name="application_decline",
    ),
    path(
        "p/<slug:slug>/sign-up-link/",
        nominations.nomination_link_enable_view,
        name="nomination_link_enable",
    ),
    path(
        "sign-up-links/<int:link_id>/off/",
        nominations.nomination_link_disable_view,
        name="nomination_link_disable",
    ),
    path("apply/<str:token>/", nominations.apply, name="apply"),
    # Invitees and participants
    path("invitations/<str:token>/", participation.invitation, name="invitation"),
    path(
        "staff-invitations/<str:token>/",
        staff_invitations.staff_invitation,
        name="staff_invitation",
    ),
    path("my/", participation.my_programme, name="my_programme"),
    path("my/<int:participant_id>/charter/", participation.charter, name="charter"),
    path("my/<int:participant_id>/profile/", participation.profile, name="profile"),
    path("my/<int:participant_id>/withdraw/", participation.withdraw, name="withdraw"),
]
