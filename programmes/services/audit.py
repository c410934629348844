"""The programme's audit trail: who changed what, shown as "Recent changes"."""

from typing import Any

from mentoring.models import User
from programmes.models import AuditEvent, Programme


def audit_record(
    *, programme: Programme, actor: User | None, action: str, **detail: Any
) -> AuditEvent:
    """Record one change. ``detail`` must be JSON-serialisable (names and counts, not objects)."""
    return AuditEvent.objects.create(
        programme=programme,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        detail=detail,
    )
