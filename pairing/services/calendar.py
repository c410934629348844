"""iCalendar (RFC 5545) text for one session and for a personal feed of sessions.

Pure text building: the callers pass sessions with their pair's members loaded. Times
are written in UTC (``…Z``), so every calendar shows them in its owner's own zone. No
note of any kind is ever written into a calendar: a feed URL can travel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from pairing.models import MentoringSession
from programmes.models import Participant, Programme

PRODID = "-//Reciprocal mentoring//Sessions//EN"
UID_DOMAIN = "reciprocal-mentoring"
VIDEO_LINK = re.compile(r"https?://[^\s\x00-\x1f]+")


@dataclass(frozen=True)
class CalendarEvent:
    """What one session contributes to a calendar."""

    session: MentoringSession
    sides: Sequence[Participant]
    mode: str  # the programme's alternation
    url: str  # absolute URL of the session page


def session_summary(*, session: MentoringSession, sides: Sequence[Participant], mode: str) -> str:
    """'Mentoring session: Ana Silva ↔ Ben Carter (mentor: Ana Silva)'."""
    names = " ↔ ".join(p.display_name for p in sides)
    if mode == Programme.Alternation.SPLIT:
        roles = "both mentor, in halves"
    elif mode == Programme.Alternation.FLUID:
        roles = "roles by topic"
    else:
        mentor = next((p for p in sides if p.pk == session.planned_mentor_id), None)
        roles = f"mentor: {mentor.display_name}" if mentor else "mentor: to agree"
    return f"Mentoring session: {names} ({roles})"


def calendar_text(events: Iterable[CalendarEvent], *, name: str = "Mentoring sessions") -> str:
    """A VCALENDAR with one VEVENT per session. Cancelled sessions are marked cancelled."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines.extend(_vevent(event, stamp=stamp))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vevent(event: CalendarEvent, *, stamp: str) -> list[str]:
    session = event.session
    start = session.scheduled_start
    minutes = session.actual_minutes or session.planned_minutes
    end = start + dt.timedelta(minutes=minutes)
    cancelled = session.status in (
        MentoringSession.Status.CANCELLED,
        MentoringSession.Status.NO_SHOW,
    )
    # SEQUENCE must grow with each change (reschedules): seconds since creation do.
    sequence = max(0, int((session.updated_at - session.created_at).total_seconds()))
    description = f"Session page: {event.url}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:session-{session.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{_escape(session_summary(session=session, sides=event.sides, mode=event.mode))}",
        f"DESCRIPTION:{_escape(description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if session.place:
        lines.append(f"LOCATION:{_escape(session.place)}")
    # A video link doubles as the event's URL; anything else (or anything odd) does not.
    link = session.place if VIDEO_LINK.fullmatch(session.place) else event.url
    lines.append(f"URL:{link}")
    lines.append("END:VEVENT")
    return lines


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
            limit = 74  # continuation lines start with a space
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)
