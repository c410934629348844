"""Pairing's reminder kinds besides "session_upcoming" (``pairing/reminders.py``): "log your
session" and "time to meet again". Registered from ``PairingConfig.ready()``."""

from mentoring.notifications.registry import register


def reminder_kinds_register() -> None:
    from . import inactivity, session_log

    register(session_log.KIND)
    register(inactivity.KIND)
