"""What a programme admin does about a pair from its health page: notes, snoozed flags,
ending it on the members' behalf. Every write is audited (``programmes.services.audit``).

The callers (feedback's pair-health views) fetch the pair with
``pairing.permissions.pair_get_for_admin``; these services check the admin's role again,
so a script or a future view cannot skip it.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from pairing.models import (
    ADMIN_NOTE_MAX_LENGTH,
    SNOOZE_REASON_MAX_LENGTH,
    AdminNote,
    FlagSnooze,
    Pair,
)
from pairing.services.pairs import pair_request_end
from programmes.models import Programme
from programmes.permissions import user_is_programme_admin
from programmes.services.audit import audit_record

#: The longest a flag can be set aside: past that the admin looks again.
SNOOZE_MAX_DAYS = 90


def _programme_admin_of(*, pair: Pair, by: User) -> Programme:
    programme = Programme.objects.get(cohorts__pairs=pair)
    if not user_is_programme_admin(user=by, programme=programme):
        raise RuleViolation("Only an admin of the pair's programme can do this.")
    return programme


def admin_note_add(*, pair: Pair, by: User, text: str) -> AdminNote:
    """Leave a note on ``pair`` for the programme's admins (never its members or HR)."""
    text = text.strip()
    if not text:
        raise RuleViolation({"text": "Write the note first."})
    if len(text) > ADMIN_NOTE_MAX_LENGTH:
        raise RuleViolation({"text": f"Keep the note under {ADMIN_NOTE_MAX_LENGTH} characters."})
    with transaction.atomic():
        programme = _programme_admin_of(pair=pair, by=by)
        note = AdminNote.objects.create(pair=pair, author=by, text=text)
        # The audit trail says a note was left, not what it says.
        audit_record(
            programme=programme,
            actor=by,
            action="pairing.admin_note_added",
            pair_id=pair.pk,
            note_id=note.pk,
        )
    return note


def flag_snooze(
    *,
    pair: Pair,
    by: User,
    flag: str,
    until: datetime,
    reason: str,
    now: datetime | None = None,
) -> FlagSnooze:
    """Set ``flag`` of ``pair`` aside until ``until`` (aware, in the future, at most
    ``SNOOZE_MAX_DAYS`` days away), with a reason. An earlier snooze of the same flag that is
    not lifted yet (running or expired) is lifted by this one."""
    now = now or timezone.now()
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not flag or len(flag) > 20:
        errors["flag"] = "Choose the flag to snooze."
    if timezone.is_naive(until):
        raise ValueError("until must be timezone-aware")
    if until <= now:
        errors["until"] = "Choose a time in the future."
    elif until > now + timedelta(days=SNOOZE_MAX_DAYS):
        errors["until"] = f"Snooze for {SNOOZE_MAX_DAYS} days at most."
    if not reason:
        errors["reason"] = "Say why the flag can wait."
    elif len(reason) > SNOOZE_REASON_MAX_LENGTH:
        errors["reason"] = f"Keep the reason under {SNOOZE_REASON_MAX_LENGTH} characters."
    if errors:
        raise RuleViolation(errors)
    with transaction.atomic():
        programme = _programme_admin_of(pair=pair, by=by)
        # Lock the pair: two admins snoozing the same flag at once take turns.
        Pair.objects.select_for_update().filter(pk=pair.pk).first()
        FlagSnooze.objects.filter(pair=pair, flag=flag, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=by
        )
        snooze = FlagSnooze.objects.create(
            pair=pair, flag=flag, until=until, reason=reason, created_by=by
        )
        audit_record(
            programme=programme,
            actor=by,
            action="pairing.flag_snoozed",
            pair_id=pair.pk,
            flag=flag,
            until=until.isoformat(),
            snooze_id=snooze.pk,
        )
    return snooze


def flag_unsnooze(*, snooze: FlagSnooze, by: User, now: datetime | None = None) -> bool:
    """Lift a snooze now, so the flag counts again. False when it was already lifted or had
    run out (nothing to do; a double click is harmless)."""
    now = now or timezone.now()
    with transaction.atomic():
        programme = _programme_admin_of(pair=snooze.pair, by=by)
        lifted = FlagSnooze.objects.filter(
            pk=snooze.pk, lifted_at__isnull=True, until__gt=now
        ).update(lifted_at=now, lifted_by=by)
        if lifted:
            audit_record(
                programme=programme,
                actor=by,
                action="pairing.flag_unsnoozed",
                pair_id=snooze.pair_id,
                flag=snooze.flag,
                snooze_id=snooze.pk,
            )
    return bool(lifted)


def pair_end_on_behalf(*, pair: Pair, by: User, reason: str, base_url: str = "") -> Pair:
    """End a live pair for its members: the members' own end flow (``pair_request_end``),
    so both go back to the pool and are offered a new partner, and the same emails go out.
    The reason is for the admins; the members read "ended by the programme admin"."""
    return pair_request_end(pair=pair, by_admin=by, reason=reason, base_url=base_url)
