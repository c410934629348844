from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self) -> None:
        # The reminder registry (mentoring) reads programmes' settings through this hook.
        from mentoring.notifications.registry import register_timing_provider

        from .reminder_settings import timing

        register_timing_provider(timing)
        from .reminder_kinds import reminder_kinds_register

        # "Invitation not accepted yet" (mentoring.notifications).
        reminder_kinds_register()
