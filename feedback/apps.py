from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        from .reminder_kinds import reminder_kinds_register

        # "Reflect", "ledger items to confirm", the admins' digest (mentoring.notifications).
        reminder_kinds_register()
        from .reminders_survey import survey_kind_register

        # "survey": the invitation to answer a survey wave (feedback.services.outcomes).
        survey_kind_register()
        from .reminders_nudge import nudge_kind_register

        # "admin_nudge": an admin's message to a flagged pair (feedback.services.nudges).
        nudge_kind_register()
