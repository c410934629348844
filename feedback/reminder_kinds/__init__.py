"""Feedback's reminder kinds: "reflect", "ledger items to confirm" and the admins' weekly
digest. Registered from ``FeedbackConfig.ready()``."""

from mentoring.notifications.registry import register


def reminder_kinds_register() -> None:
    from . import digest, ledger, reflect

    register(reflect.KIND)
    register(ledger.KIND)
    register(digest.KIND)
