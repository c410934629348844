"""The pair's workspace (namespace ``pairing``): sessions, private notes, calendars.

The pair page, the session list and the session page are feedback's (namespace
``feedback``), at the same ``/pairing/`` addresses: see ``feedback.urls``.
"""

from django.urls import path

from pairing.views import calendar, my_pairs, sessions

urlpatterns = [
    path("pairs/", my_pairs.my_pairs, name="my_pairs"),
    path("home-card/", my_pairs.home_card, name="home_card"),
    path(
        "pairs/<int:pair_id>/sessions/new/",
        sessions.session_schedule_view,
        name="session_schedule",
    ),
    path(
        "pairs/<int:pair_id>/sessions/log-past/",
        sessions.session_log_past_view,
        name="session_log_past",
    ),
    path(
        "sessions/<int:session_id>/reschedule/",
        sessions.session_reschedule_view,
        name="session_reschedule",
    ),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel_view, name="session_cancel"),
    path("sessions/<int:session_id>/log/", sessions.session_log_view, name="session_log"),
    path(
        "sessions/<int:session_id>/private-note/",
        sessions.session_private_note,
        name="session_private_note",
    ),
    path("sessions/<int:session_id>/calendar.ics", calendar.session_ics, name="session_ics"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/revoke/", calendar.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
