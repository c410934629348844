"""Reflections, goals, the benefit ledger, asks and completion (namespace ``feedback``)."""

from django.urls import path

from feedback.views import workspace

urlpatterns = [
    path("sessions/<int:session_id>/reflection/", workspace.reflection, name="reflection"),
    path("pairs/<int:pair_id>/goals/", workspace.goal_list, name="goal_list"),
    path("pairs/<int:pair_id>/goals/new/", workspace.goal_create_view, name="goal_create"),
    path("goals/<int:goal_id>/", workspace.goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/edit/", workspace.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/comment/", workspace.goal_comment, name="goal_comment"),
    path("pairs/<int:pair_id>/ledger/", workspace.ledger, name="ledger"),
    path("pairs/<int:pair_id>/ledger/new/", workspace.ledger_record, name="ledger_record"),
    path("ledger/<int:item_id>/confirm/", workspace.ledger_confirm, name="ledger_confirm"),
    path("ledger/<int:item_id>/dispute/", workspace.ledger_dispute, name="ledger_dispute"),
    path("pairs/<int:pair_id>/asks/new/", workspace.ask_create_view, name="ask_create"),
    path("asks/<int:ask_id>/answer/", workspace.ask_answer_view, name="ask_answer"),
    path("pairs/<int:pair_id>/complete/", workspace.pair_complete_view, name="pair_complete"),
]
