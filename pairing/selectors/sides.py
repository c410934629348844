"""Who sits in a pair: the one way to read a pair's members, in seat order.

``seat_queryset`` is the one query on ``PairMember`` that pages, services and feeds use to
learn who is in a pair; ``seats`` runs it for some pairs, ``pair_sides`` (one pair) and
``sides_by_pair`` (several) are its two usual shapes. Side A (position 0) comes first;
former members of a closed pair are included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet, prefetch_related_objects

from pairing.models import Pair, PairMember
from programmes.models import Participant


def seat_queryset(
    *, users: bool = False, skills: bool = False, pair_details: bool = False
) -> QuerySet[PairMember]:
    """Seats in seat order, each with its participant: the base of every read of who sits
    in a pair, also as a ``Prefetch("members", …)`` on a list of pairs.

    Options add what a page needs without one query per member: ``users`` (their
    accounts, for time zones), ``skills`` (what they offer and want; two more queries),
    ``pair_details`` (the pair with its cohort and programme).
    """
    related = ["participant"]
    if users:
        related.append("participant__user")
    if pair_details:
        related.append("pair__cohort__programme")
    queryset = PairMember.objects.select_related(*related).order_by("pair_id", "position")
    if skills:
        queryset = queryset.prefetch_related(
            "participant__skills_offered", "participant__skills_wanted"
        )
    return queryset


def seats(
    *,
    pairs: Iterable[int] | QuerySet,
    users: bool = False,
    skills: bool = False,
    pair_details: bool = False,
) -> list[PairMember]:
    """The seats of ``pairs`` (ids, or a queryset of pair ids), pair by pair (one query,
    with ``seat_queryset``'s options)."""
    return list(
        seat_queryset(users=users, skills=skills, pair_details=pair_details).filter(pair__in=pairs)
    )


def pair_sides(*, pair: Pair, users: bool = False, skills: bool = False) -> list[Participant]:
    """The pair's members by seat (side A first), with ``seats``' options.

    The seats already read for this ``pair`` object serve when they hold what was asked
    (``seats_remember``: ``pair_get_for_member`` reads them with their accounts, so a
    page's access check and its sides are one query, not two; ``skills`` then adds only
    its own two queries).
    """
    seated = getattr(pair, _SEATS_ATTR, None)
    if seated is not None:
        sides = [seat.participant for seat in seated]
        if not users or all(Participant.user.is_cached(p) for p in sides):
            if skills:
                prefetch_related_objects(sides, "skills_offered", "skills_wanted")
            return sides
    return [seat.participant for seat in seats(pairs=[pair.pk], users=users, skills=skills)]


def sides_by_pair(*, pairs: Iterable[int] | QuerySet) -> dict[int, list[Participant]]:
    """Each pair's members by seat, for pages and feeds that show several pairs (one query)."""
    sides: dict[int, list[Participant]] = {}
    for seat in seats(pairs=pairs):
        sides.setdefault(seat.pair_id, []).append(seat.participant)
    return sides


def first_mentor_side(*, pair: Pair, sides: Sequence[Participant]) -> int:
    """The seat (0 = side A) of the pair's first mentor; side A when it is not set."""
    ids = [p.pk for p in sides]
    return ids.index(pair.first_mentor_id) if pair.first_mentor_id in ids else 0


# --- the pair's name, for page titles and headings ---------------------------------------
# The access helper (``pairing.permissions.pair_get_for_member``) reads the seats once and
# leaves them on the pair it returns, so every page of the pair can name it without a query.
_SEATS_ATTR = "_seats_read"


def seats_remember(*, pair: Pair, seated: Sequence[PairMember]) -> None:
    """Keep ``seated`` (the pair's seats, as ``seats`` read them) on ``pair`` for ``pair_name``."""
    setattr(pair, _SEATS_ATTR, list(seated))


def remembered_sides(pair: Pair) -> list[Participant] | None:
    """The members already read for ``pair`` (current members, side A first), or None when
    nothing has read them: by ``seats_remember`` or a ``Prefetch("members", …)``."""
    seated = getattr(pair, _SEATS_ATTR, None)
    if seated is None:
        prefetched = getattr(pair, "_prefetched_objects_cache", {}).get("members")
        if prefetched is None:
            return None
        seated = sorted(prefetched, key=lambda seat: seat.position)
    current = [seat for seat in seated if seat.current]
    return [seat.participant for seat in (current or seated)]


def pair_name(sides: Sequence[Participant]) -> str:
    """The members' first names, side A first: "Ana & Ben" (a trio: "Ana, Ben & Cy")."""
    names = [p.first_name or p.display_name for p in sides]
    if len(names) <= 2:
        return " & ".join(names)
    return f"{', '.join(names[:-1])} & {names[-1]}"
