"""What every reminder kind shares: its programmes' timing windows and its email.

A reminder is due ``offset`` hours after an *anchor* (a session's start, a log, an
invitation's email...). A scan asks, per programme, for the rows whose anchor lies in
``(now - offset - look_back, now - offset]``: an indexed range query per programme and
offset, read with ``.iterator()``. The Due's ``due_at`` is ``anchor + offset``, the same
on every scan, so the delivery table's unique key drops what was planned already.

Pairing and feedback import this module (they sit above programmes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone

from mentoring.links import site_base_url
from mentoring.notifications.registry import RenderedMessage, kind_get, timing_for
from programmes.models import Programme

#: Programmes whose people get reminders: not a draft (nobody is in it yet), not closed.
REMINDING_STATUSES = (
    Programme.Status.ENROLLING,
    Programme.Status.MATCHING,
    Programme.Status.RUNNING,
)
#: Rows read per database round trip while scanning.
SCAN_CHUNK = 1000


@dataclass(frozen=True)
class Window:
    """The anchors that became due for one offset: ``low < anchor <= high``."""

    programme_id: int
    offset_hours: int
    nth: int  # 1 for the first reminder of a kind, 2 for the second (72 h after a session)
    low: dt.datetime
    high: dt.datetime

    @property
    def offset(self) -> dt.timedelta:
        return dt.timedelta(hours=self.offset_hours)


def reminding_programmes() -> list[Programme]:
    """The programmes reminders go out for, with what the scans need (one query)."""
    return list(
        Programme.objects.filter(status__in=REMINDING_STATUSES)
        .only("pk", "cadence_days")
        .order_by("pk")
    )


def programme_offsets(programme: Programme, code: str) -> tuple[int, ...]:
    """The offsets (hours) of ``code`` in ``programme``; () when it is switched off."""
    enabled, offsets = timing_for(programme.pk, code)
    if not enabled:
        return ()
    return tuple(sorted(int(h) for h in offsets if int(h) >= 0))


def windows(
    *, code: str, now: dt.datetime, programmes: list[Programme] | None = None
) -> Iterator[Window]:
    """Each programme's window per offset of ``code`` (none for a switched-off kind)."""
    look_back = dt.timedelta(hours=kind_get(code).look_back_hours)
    for programme in reminding_programmes() if programmes is None else programmes:
        for nth, hours in enumerate(programme_offsets(programme, code), start=1):
            high = now - dt.timedelta(hours=hours)
            yield Window(programme.pk, hours, nth, high - look_back, high)


def absolute(path: str) -> str:
    """An absolute link for an email (``SITE_BASE_URL``: beat has no request)."""
    return site_base_url() + path


def local(moment: dt.datetime, zone_name: str) -> dt.datetime:
    """``moment`` in the time zone ``zone_name`` (UTC when the name is unknown)."""
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    return timezone.localtime(moment, zone)


def when_text(moment: dt.datetime, zone_name: str) -> str:
    """ "Tue 1 Dec 2026, 14:00 CET": a time as its reader reads it, zone named."""
    at = local(moment, zone_name)
    return f"{at:%a} {at.day} {at:%b %Y, %H:%M} {at.tzname()}"


def reminder_message(
    *, code: str, subject: str, link: str, zone_name: str, context: dict
) -> RenderedMessage:
    """Render ``templates/emails/reminders/<code>.txt`` and ``.html`` in the reader's time
    zone (``{{ x|date }}`` in the templates then shows their local time)."""
    context = {**context, "link": link, "subject": subject}
    with timezone.override(local(timezone.now(), zone_name).tzinfo):
        text = render_to_string(f"emails/reminders/{code}.txt", context)
        html = render_to_string(f"emails/reminders/{code}.html", context)
    return RenderedMessage(subject=subject, text=text, html=html, link=link)
