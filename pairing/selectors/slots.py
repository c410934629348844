"""A session's slot as each member of the pair lives it: local times, out-of-hours warnings,
and whether a time has passed.

The schedule and reschedule forms show "Tue 3 Dec 09:00 for you (Europe/London) · 04:00
for Ben (America/New_York) — outside 08:00–20:00 for Ben" and ask the member to confirm
an out-of-hours slot; ``static/js/session-slot.js`` computes the same line in the browser
as the member types (from ``slot_people``, passed with ``json_script``). Pure functions
apart from ``slot_people`` (one query).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import dateformat, timezone

from pairing.models import Pair
from pairing.selectors.sides import pair_sides
from programmes.models import Participant

# A start up to this long ago still counts as "now" when scheduling: a pair that opens the
# form as they sit down to meet, or whose clocks differ by a minute, is not refused.
SCHEDULE_GRACE = dt.timedelta(minutes=5)

# The waking, working part of a day, in each person's own zone: a slot that starts before
# 08:00 or ends after 20:00 (or crosses midnight) for anyone must be confirmed.
DAY_STARTS = dt.time(8, 0)
DAY_ENDS = dt.time(20, 0)
WORKING_HOURS = "08:00–20:00"


def slot_has_passed(start: dt.datetime, *, now: dt.datetime | None = None) -> bool:
    """True when ``start`` is earlier than now, beyond the few minutes of grace."""
    return start < (now or timezone.now()) - SCHEDULE_GRACE


def participant_time_zone(participant: Participant) -> str:
    """The zone this person sees times in: their account's, else their profile's (the
    same rule as the pair page's ``Side.time_zone``)."""
    user = participant.user
    return user.time_zone if user is not None else participant.time_zone


@dataclass(frozen=True)
class SlotPerson:
    """One member of the pair, as the slot preview names them."""

    name: str  # "you" for the viewer, else the first name
    zone: str
    is_me: bool

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "zone": self.zone, "is_me": self.is_me}


def slot_people(*, pair: Pair, me: Participant) -> list[SlotPerson]:
    """The viewer first, then their partner(s) in seat order (one query)."""
    people = [
        SlotPerson(
            name="you" if p.pk == me.pk else (p.first_name or p.display_name),
            zone=participant_time_zone(p),
            is_me=p.pk == me.pk,
        )
        for p in pair_sides(pair=pair, users=True)
    ]
    return sorted(people, key=lambda person: not person.is_me)


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


@dataclass(frozen=True)
class LocalSlot:
    """The slot in one person's zone."""

    person: SlotPerson
    start: dt.datetime  # local
    end: dt.datetime  # local

    @property
    def out_of_hours(self) -> bool:
        return (
            self.start.date() != self.end.date()
            or self.start.time() < DAY_STARTS
            or self.end.time() > DAY_ENDS
        )


def slot_local_times(
    *, start: dt.datetime, minutes: int, people: list[SlotPerson]
) -> list[LocalSlot]:
    """``start`` (aware) and ``start + minutes`` in each person's zone, in ``people``'s order."""
    end = start + dt.timedelta(minutes=minutes)
    return [
        LocalSlot(
            person=person,
            start=start.astimezone(_zone(person.zone)),
            end=end.astimezone(_zone(person.zone)),
        )
        for person in people
    ]


def _names(slots: list[LocalSlot]) -> str:
    names = [s.person.name for s in slots]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def out_of_hours_names(slots: list[LocalSlot]) -> str:
    """Who the slot is out of hours for: "Ben", "you and Ben" ("" when nobody)."""
    late = [s for s in slots if s.out_of_hours]
    return _names(late) if late else ""


def slot_summary(slots: list[LocalSlot]) -> str:
    """The slot in words: "Tue 3 Dec 09:00 for you (Europe/London) · 04:00 for Ben
    (America/New_York) — outside 08:00–20:00 for Ben". A partner's day is named when it is
    not the viewer's."""
    if not slots:
        return ""
    first_day = slots[0].start.date()
    parts = []
    for index, slot in enumerate(slots):
        shown = "H:i" if index and slot.start.date() == first_day else "D j M H:i"
        when = dateformat.format(slot.start, shown)
        parts.append(f"{when} for {slot.person.name} ({slot.person.zone})")
    text = " · ".join(parts)
    late = out_of_hours_names(slots)
    return f"{text} — outside {WORKING_HOURS} for {late}" if late else text
