"""Sessions of a pair: schedule and reschedule (from now on only), cancel, log (and edit the
log), log a meeting that already happened, private notes, and personal calendar feeds.

Every function here is a write. Callers have already checked that ``by`` is a member
of the session's pair (``pairing.permissions``). A refused change raises
``mentoring.errors.RuleViolation``. Writes that change what the metrics read call
``pair_metrics_changed`` once, after the rows are saved: the one import from feedback
that pairing makes (README "Layout"), because every such write must refresh the pair's
per-side metrics, which feedback owns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.views.decorators.debug import sensitive_variables

from feedback.services.metrics import pair_metrics_changed
from mentoring.errors import RuleViolation
from mentoring.tokens import token_issue
from pairing.alternation import planned_mentor_sides
from pairing.models import (
    CalendarFeed,
    MentoringSession,
    Pair,
    PrivateNote,
    SessionLogRevision,
    SessionParticipation,
    SessionRole,
    Topic,
)
from pairing.permissions import LOG_EDIT_DAYS, log_is_editable
from pairing.selectors.sides import first_mentor_side, pair_sides
from pairing.selectors.slots import slot_has_passed
from programmes.models import Participant, Programme

if TYPE_CHECKING:
    from mentoring.models import User

PAIR_ENDED = "This pair has ended; its sessions can no longer be changed."
# Shown next to the date field; the schedule page adds the way to log a past meeting.
PAST_START = "That time has passed: choose a time from now on."
PAST_START_CODE = "past_start"
LOGGABLE_STATUSES = (
    MentoringSession.Status.HELD,
    MentoringSession.Status.CANCELLED,
    MentoringSession.Status.NO_SHOW,
)


def _require_live(pair: Pair) -> None:
    if pair.status not in Pair.LIVE_STATUSES:
        raise RuleViolation(PAIR_ENDED)


def _lock_live_pair(pair_id: int) -> Pair:
    """The pair's row, locked until the transaction ends, and still live.

    The caller's copy of the pair was read before the transaction: meanwhile the pair may
    have been completed or ended early (both lock this row too). Re-reading it under the
    lock means a session written now can never turn an ended pair back into an active one.
    """
    pair = (
        Pair.objects.select_for_update(of=("self",))
        .select_related("cohort__programme")
        .get(pk=pair_id)
    )
    _require_live(pair)
    return pair


def _aware(value: dt.datetime, field: str) -> None:
    if timezone.is_naive(value):
        raise RuleViolation({field: "A time zone is required."})


def _require_not_past(scheduled_start: dt.datetime, now: dt.datetime | None) -> None:
    """Scheduling is for what is still to come (a few minutes of grace: ``SCHEDULE_GRACE``).

    A meeting that already happened is logged with ``session_log_past`` instead; the error
    carries ``PAST_START_CODE`` so the page can offer that path.
    """
    if slot_has_passed(scheduled_start, now=now):
        raise RuleViolation({"scheduled_start": ValidationError(PAST_START, code=PAST_START_CODE)})


def pair_replan(*, pair: Pair) -> None:
    """Set ``planned_mentor`` of every still-scheduled session, in order, from the held count.

    Called after any change to the pair's sessions, so reminders and calendars always
    name the right mentor (alternate mode; split and fluid sessions have none).
    """
    sides = pair_sides(pair=pair)
    if not sides:
        return
    mode = pair.cohort.programme.alternation
    held = pair.sessions.filter(status=MentoringSession.Status.HELD).count()
    scheduled = list(
        pair.sessions.filter(status=MentoringSession.Status.SCHEDULED).order_by(
            "scheduled_start", "pk"
        )
    )
    plan = planned_mentor_sides(
        mode=mode,
        first_mentor_side=first_mentor_side(pair=pair, sides=sides),
        held=held,
        upcoming=len(scheduled),
        sides=len(sides),
    )
    changed = []
    for session, side in zip(scheduled, plan, strict=True):
        mentor_id = sides[side].pk if side is not None else None
        if session.planned_mentor_id != mentor_id:
            session.planned_mentor_id = mentor_id
            changed.append(session)
    if changed:
        MentoringSession.objects.bulk_update(changed, ["planned_mentor"])


# --- scheduling ---------------------------------------------------------------------------
@transaction.atomic
def session_schedule(
    *,
    pair: Pair,
    by: Participant,
    scheduled_start: dt.datetime,
    planned_minutes: int = 60,
    place: str = "",
    now: dt.datetime | None = None,
) -> MentoringSession:
    """Schedule a session from now on. The planned mentor follows the programme's alternation.

    A start in the past (beyond ``SCHEDULE_GRACE``) is refused: ``session_log_past`` logs a
    meeting that already happened. ``now``: the moment the session is scheduled (default:
    the current time); code that replays a pair's history (the demo, tests) passes the
    moment it was scheduled then.
    """
    pair = _lock_live_pair(pair.pk)
    _aware(scheduled_start, "scheduled_start")
    _require_not_past(scheduled_start, now)
    session = MentoringSession(
        pair=pair,
        scheduled_start=scheduled_start,
        planned_minutes=planned_minutes,
        place=place.strip(),
        created_by=by,
    )
    session.full_clean()
    session.save()
    pair_replan(pair=pair)
    session.refresh_from_db(fields=["planned_mentor"])
    return session


@transaction.atomic
def session_reschedule(
    *,
    session: MentoringSession,
    by: Participant,
    scheduled_start: dt.datetime,
    planned_minutes: int,
    place: str = "",
    now: dt.datetime | None = None,
) -> MentoringSession:
    """Move a scheduled session (a logged one cannot be moved), to a time from now on
    (``now`` as for ``session_schedule``)."""
    session.pair = _lock_live_pair(session.pair_id)
    if session.status != MentoringSession.Status.SCHEDULED:
        raise RuleViolation("Only a scheduled session can be rescheduled.")
    _aware(scheduled_start, "scheduled_start")
    _require_not_past(scheduled_start, now)
    session.scheduled_start = scheduled_start
    session.planned_minutes = planned_minutes
    session.place = place.strip()
    session.full_clean()
    session.save(update_fields=["scheduled_start", "planned_minutes", "place", "updated_at"])
    pair_replan(pair=session.pair)
    session.refresh_from_db(fields=["planned_mentor"])
    return session


@transaction.atomic
def session_cancel(*, session: MentoringSession, by: Participant, reason: str) -> MentoringSession:
    """Cancel a scheduled session with a reason. It does not count as a turn."""
    session.pair = _lock_live_pair(session.pair_id)
    if session.status != MentoringSession.Status.SCHEDULED:
        raise RuleViolation("Only a scheduled session can be cancelled.")
    reason = reason.strip()
    if not reason:
        raise RuleViolation({"reason": "Say briefly why the session is cancelled."})
    session.status = MentoringSession.Status.CANCELLED
    session.cancel_reason = reason
    # A cancellation is a log entry: the pair can correct it within the edit window.
    session.logged_at = timezone.now()
    session.logged_by = by
    session.save(update_fields=["status", "cancel_reason", "logged_at", "logged_by", "updated_at"])
    pair_replan(pair=session.pair)
    pair_metrics_changed(pair_id=session.pair_id)
    return session


# --- logging ------------------------------------------------------------------------------
def _snapshot(session: MentoringSession) -> dict:
    """The shared fields of a log, as kept in its history (never a private note)."""
    roles = dict(
        SessionParticipation.objects.filter(session=session).values_list("participant_id", "role")
    )
    return {
        "status": session.status,
        "actual_minutes": session.actual_minutes,
        "roles": {str(pid): role for pid, role in sorted(roles.items())},
        "topics": list(session.topics),
        "topic_leads": dict(session.topic_leads),
        "shared_notes": session.shared_notes,
        "cancel_reason": session.cancel_reason,
        "logged_at": session.logged_at.isoformat() if session.logged_at else None,
        "logged_by": session.logged_by_id,
    }


def _validate_log(
    *,
    session: MentoringSession,
    sides: Sequence[Participant],
    status: str,
    actual_minutes: int | None,
    roles: Mapping[int, str],
    topics: Sequence[str],
    topic_leads: Mapping[str, int],
    now: dt.datetime,
) -> None:
    errors: dict[str, str] = {}
    if status not in LOGGABLE_STATUSES:
        errors["status"] = "Choose held, cancelled or no-show."
    elif status != MentoringSession.Status.CANCELLED and session.scheduled_start > now:
        errors["status"] = "This session has not started yet: it can only be cancelled."
    if status == MentoringSession.Status.HELD:
        if not actual_minutes or not 1 <= actual_minutes <= 600:
            errors["actual_minutes"] = "How long did you meet? Between 1 and 600 minutes."
        member_ids = {p.pk for p in sides}
        if set(roles) != member_ids or any(r not in SessionRole.values for r in roles.values()):
            errors["roles"] = "Give the role each of you played."
        elif not any(r in (SessionRole.MENTOR, SessionRole.BOTH) for r in roles.values()):
            errors["roles"] = "Somebody mentored: mark at least one side as mentor or both."
        unknown = [t for t in topics if t not in Topic.values]
        if unknown:
            errors["topics"] = "Choose topics from the list."
        lead_ids = set(topic_leads.values())
        if not set(topic_leads) <= set(topics) or not lead_ids <= member_ids:
            errors["topic_leads"] = "Say who led each topic you discussed."
    if errors:
        raise RuleViolation(errors)


@transaction.atomic
def session_log(
    *,
    session: MentoringSession,
    by: Participant,
    status: str,
    actual_minutes: int | None = None,
    roles: Mapping[int, str] | None = None,
    topics: Sequence[str] = (),
    topic_leads: Mapping[str, int] | None = None,
    shared_notes: str = "",
    cancel_reason: str = "",
    private_note: str | None = None,
) -> MentoringSession:
    """Log what happened in a session, or edit the log within ``LOG_EDIT_DAYS``.

    ``roles``: participant id → "mentor" / "mentee" / "both", one per member (held only).
    ``topic_leads``: topic → participant id who led it (fluid programmes; optional).
    ``private_note``: the logging author's own note (None leaves it unchanged).
    Each edit of an existing log first saves a snapshot of the shared fields. The first
    held session turns a published pair active.
    """
    pair = session.pair = _lock_live_pair(session.pair_id)
    now = timezone.now()
    if not log_is_editable(session, now=now):
        raise RuleViolation(
            f"This log was written more than {LOG_EDIT_DAYS} days ago and can no longer be edited."
        )
    sides = pair_sides(pair=pair)
    roles = dict(roles or {})
    topic_leads = dict(topic_leads or {})
    if pair.cohort.programme.alternation != Programme.Alternation.FLUID:
        topic_leads = {}
    topics = list(dict.fromkeys(topics))  # unique, in the order given
    _validate_log(
        session=session,
        sides=sides,
        status=status,
        actual_minutes=actual_minutes,
        roles=roles,
        topics=topics,
        topic_leads=topic_leads,
        now=now,
    )
    if session.logged_at is not None:
        SessionLogRevision.objects.create(
            session=session, edited_by=by, snapshot=_snapshot(session)
        )
    held = status == MentoringSession.Status.HELD
    session.status = status
    session.actual_minutes = actual_minutes if held else None
    session.topics = topics if held else []
    session.topic_leads = {t: int(pid) for t, pid in topic_leads.items()} if held else {}
    session.shared_notes = shared_notes.strip()
    session.cancel_reason = "" if held else cancel_reason.strip()
    session.logged_at = now
    session.logged_by = by
    session.full_clean(exclude=["pair", "planned_mentor", "logged_by", "created_by"])
    session.save()
    SessionParticipation.objects.filter(session=session).delete()
    if held:
        SessionParticipation.objects.bulk_create(
            SessionParticipation(session=session, participant_id=pid, role=role)
            for pid, role in roles.items()
        )
        if pair.status == Pair.Status.PUBLISHED:
            pair.status = Pair.Status.ACTIVE
            pair.save(update_fields=["status", "updated_at"])
    if private_note is not None:
        private_note_save(session=session, author=by, text=private_note)
    pair_replan(pair=pair)
    pair_metrics_changed(pair_id=pair.pk)
    return session


@transaction.atomic
def session_log_past(
    *,
    pair: Pair,
    by: Participant,
    scheduled_start: dt.datetime,
    actual_minutes: int | None,
    roles: Mapping[int, str],
    topics: Sequence[str] = (),
    topic_leads: Mapping[str, int] | None = None,
    shared_notes: str = "",
    private_note: str | None = None,
    place: str = "",
) -> MentoringSession:
    """Log a meeting that already happened and was never scheduled here.

    The session is created at ``scheduled_start`` (when the pair met: not in the future)
    and logged as held by ``session_log`` in the same transaction, so the roles, minutes,
    log history, turn and metrics work as for any logged session; if the log is refused,
    no session is left behind. Its planned length is the length they met.
    """
    pair = _lock_live_pair(pair.pk)
    _aware(scheduled_start, "scheduled_start")
    if scheduled_start > timezone.now():
        raise RuleViolation(
            {"scheduled_start": "That time is still to come: schedule the session instead."}
        )
    planned = min(max(actual_minutes or 60, 5), 480)  # the bounds of a planned session
    # Both partners may think of logging the same meeting: a pair meets once at a time, so
    # a session (scheduled, held or no-show) overlapping this one is that meeting.
    end = scheduled_start + dt.timedelta(minutes=planned)
    for other in pair.sessions.exclude(status=MentoringSession.Status.CANCELLED).filter(
        scheduled_start__gt=scheduled_start - dt.timedelta(hours=8), scheduled_start__lt=end
    ):
        other_end = other.scheduled_start + dt.timedelta(
            minutes=other.actual_minutes or other.planned_minutes
        )
        if other_end > scheduled_start:
            when = dateformat.format(timezone.localtime(other.scheduled_start), "D j M, H:i")
            raise RuleViolation(
                {
                    "scheduled_start": f"You already have a session on {when}: log or edit "
                    "that one instead (it is in your list of sessions)."
                }
            )
    session = MentoringSession(
        pair=pair,
        scheduled_start=scheduled_start,
        planned_minutes=planned,
        place=place.strip(),
        created_by=by,
    )
    session.full_clean(exclude=["planned_mentor", "logged_by"])
    session.save()
    return session_log(
        session=session,
        by=by,
        status=MentoringSession.Status.HELD,
        actual_minutes=actual_minutes,
        roles=roles,
        topics=topics,
        topic_leads=topic_leads,
        shared_notes=shared_notes,
        private_note=private_note,
    )


def private_note_save(
    *, session: MentoringSession, author: Participant, text: str
) -> PrivateNote | None:
    """Write (or, with empty text, delete) the author's own note on a session.

    Either member may keep a note on any session of their pair; nobody else ever
    reads it. Returns the note, or None when it was removed.
    """
    text = text.strip()
    if not text:
        PrivateNote.objects.filter(session=session, author=author).delete()
        return None
    note, _ = PrivateNote.objects.update_or_create(
        session=session, author=author, defaults={"text": text}
    )
    return note


# --- calendar feeds -----------------------------------------------------------------------
class NewCalendarFeed(NamedTuple):
    """A feed just created, with the token of its URL: the only moment the token exists
    outside the subscriber's calendar (the table keeps its hash)."""

    feed: CalendarFeed
    token: str


@sensitive_variables("token")
@transaction.atomic
def calendar_feed_create(*, user: User) -> NewCalendarFeed:
    """A new secret feed URL for the user; any earlier one stops working.

    Show ``token`` to the user once, now: it cannot be read back later.
    """
    calendar_feed_revoke(user=user)
    token, digest = token_issue()
    return NewCalendarFeed(CalendarFeed.objects.create(user=user, token_hash=digest), token)


def calendar_feed_revoke(*, user: User) -> int:
    """Revoke the user's live feed URL(s). Returns how many were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
