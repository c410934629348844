"""``admin_nudge``: a programme admin's own message to a pair (``feedback.services.nudges``),
sent at once through ``mentoring.notifications.services.delivery_send_now`` and kept as a
delivery, so it also shows in the members' notification bell. Registered from
``FeedbackConfig.ready()``.

There is nothing to scan for (an admin sends it) and nothing to render: the admin's
edited text is stored with the delivery. It cannot be switched off from the preferences
page: it is a person writing to the pair, not an automatic reminder.
"""

from mentoring.notifications.registry import Kind, register

CODE = "admin_nudge"


def nudge_kind_register() -> None:
    register(
        Kind(
            code=CODE,
            label="Messages from your programme admin",
            description="Written by a programme admin to your pair, when they check in.",
            can_unsubscribe=False,
        )
    )
