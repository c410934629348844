"""Programmes' reminder kind ("invitation not accepted yet") and, in ``common``, what every
app's reminder kinds share. Registered from ``ProgrammesConfig.ready()``."""

from mentoring.notifications.registry import register


def reminder_kinds_register() -> None:
    from . import invitations

    register(invitations.KIND)
