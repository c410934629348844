"""The pair's own pages (namespace ``feedback``), at their ``/pairing/`` addresses.

Members reach them from emails and bookmarks as ``/pairing/pairs/<id>/``: the addresses
stayed when the pages moved to feedback, which draws them now.
"""

from django.urls import path

from feedback.views import pair_page

urlpatterns = [
    path("pairs/<int:pair_id>/", pair_page.pair_detail, name="pair_detail"),
    path("pairs/<int:pair_id>/sessions/", pair_page.session_list, name="session_list"),
    path("sessions/<int:session_id>/", pair_page.session_detail, name="session_detail"),
]
