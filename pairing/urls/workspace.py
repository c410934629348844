"""The pair's workspace (namespace ``pairing``): pair page, sessions, calendars."""

from django.urls import path

from pairing.views import workspace

urlpatterns = [
    path("pairs/", workspace.my_pairs, name="my_pairs"),
    path("home-card/", workspace.home_card, name="home_card"),
    path("pairs/<int:pair_id>/", workspace.pair_detail, name="pair_detail"),
    path("pairs/<int:pair_id>/sessions/", workspace.session_list, name="session_list"),
    path(
        "pairs/<int:pair_id>/sessions/new/",
        workspace.session_schedule_view,
        name="session_schedule",
    ),
    path("sessions/<int:session_id>/", workspace.session_detail, name="session_detail"),
    path(
        "sessions/<int:session_id>/reschedule/",
        workspace.session_reschedule_view,
        name="session_reschedule",
    ),
    path("sessions/<int:session_id>/cancel/", workspace.session_cancel_view, name="session_cancel"),
    path("sessions/<int:session_id>/log/", workspace.session_log_view, name="session_log"),
    path(
        "sessions/<int:session_id>/private-note/",
        workspace.session_private_note,
        name="session_private_note",
    ),
    path("sessions/<int:session_id>/calendar.ics", workspace.session_ics, name="session_ics"),
    path("calendar/", workspace.calendar_settings, name="calendar_settings"),
    path("calendar/revoke/", workspace.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", workspace.calendar_feed, name="calendar_feed"),
]
