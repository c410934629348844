"""The kinds of notification, registered by the apps that know about them.

An app registers its kinds from ``AppConfig.ready()`` (from ``<app>/reminders.py``), so
mentoring never imports a higher app. A kind says how to find what is due (``scan``) and
how to write it (``render``); ``services`` does the rest: store, claim, send, mark.

Programme settings (``programmes.ReminderSetting``) reach this module through a hook:
programmes registers ``timing_provider`` (``register_timing_provider``) in its ``ready()``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Delivery


@dataclass(frozen=True)
class Due:
    """One notification a scan found due: to an account (``recipient_id``), or to an
    address without one (``recipient_id`` None and ``email``: an invitee)."""

    recipient_id: int | None
    object_key: str
    due_at: datetime  # aware UTC: when it became due; part of the unique key
    programme_id: int | None = None
    context: dict = field(default_factory=dict)  # JSON-serialisable: ids and plain values
    email: str = ""  # only when there is no recipient (then it is the unique key's)

    def __post_init__(self) -> None:
        if self.recipient_id is None and not self.email:
            raise ValueError(f"A Due needs a recipient_id or an email ({self.object_key!r}).")


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str  # plain-text body
    html: str | None
    link: str  # absolute deep link
    attachments: tuple[tuple[str, bytes, str], ...] | list = ()  # (filename, content, mimetype)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # for the preferences page ("Upcoming session reminders")
    default_offsets: tuple[int, ...] = ()  # hours
    scan: "Callable[[datetime], Iterable[Due]] | None" = None
    render: "Callable[[Delivery], RenderedMessage | None] | None" = None
    can_unsubscribe: bool = True  # False for account/transactional mail
    audience: str = "participant"  # or "admin": grouping on the preferences page
    description: str = ""  # one line under the label (timing in words)
    #: Scans yield Dues due at most this long ago; older ones are not planned any more.
    look_back_hours: int = 24 * 7
    #: Called once per send batch with the object keys of this kind's due rows; stores
    #: what ``render`` needs in the batch memo (``memo_put``), so that render reads
    #: ``memoised`` values instead of querying once per row.
    prefetch: Callable[[list[str]], None] | None = None


_kinds: dict[str, Kind] = {}

TimingProvider = Callable[[int, str], "tuple[bool, tuple[int, ...]] | None"]
_timing_providers: list[TimingProvider] = []
#: Set by ``services.deliveries_plan`` for the length of one run: each setting read once.
_memo: dict[tuple[int | None, str], tuple[bool, tuple[int, ...]]] | None = None


def register(kind: Kind) -> None:
    """Add ``kind`` (registering the same code again replaces it: ``ready()`` may rerun)."""
    _kinds[kind.code] = kind


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def kind_get(code: str) -> Kind:
    try:
        return _kinds[code]
    except KeyError:
        raise KeyError(f"No notification kind is registered as {code!r}.") from None


def register_timing_provider(provider: TimingProvider) -> None:
    """``provider(programme_id, kind) -> (enabled, offsets) | None`` (None: no setting)."""
    if provider not in _timing_providers:
        _timing_providers.append(provider)


def timing_for(programme_id: int | None, kind: str) -> tuple[bool, tuple[int, ...]]:
    """Whether ``kind`` is on for the programme, and its offsets in hours (the kind's
    defaults when the programme has no setting, or for mail outside a programme)."""
    if _memo is not None:
        key = (programme_id, kind)
        if key not in _memo:
            _memo[key] = _timing_read(programme_id, kind)
        return _memo[key]
    return _timing_read(programme_id, kind)


def _timing_read(programme_id: int | None, kind: str) -> tuple[bool, tuple[int, ...]]:
    if programme_id is not None:
        for provider in _timing_providers:
            found = provider(programme_id, kind)
            if found is not None:
                return bool(found[0]), tuple(found[1])
    return True, (tuple(_kinds[kind].default_offsets) if kind in _kinds else ())


#: Set by ``services`` for the length of one planning run or one send batch (seconds):
#: what several deliveries of the batch share is read once (``memoised``).
batch_memo: dict | None = None


def memoised(key: tuple, compute: Callable[[], object]) -> object:
    """``compute()``, read once per planning run or send batch (every time outside one).

    For a kind's ``render``: both members' reminders of one session share its rows."""
    if batch_memo is None:
        return compute()
    if key not in batch_memo:
        batch_memo[key] = compute()
    return batch_memo[key]


def memo_put(key: tuple, value: object) -> None:
    """Store ``value`` under ``key`` for ``memoised`` readers of this planning run or send
    batch (a kind's ``prefetch``); a no-op outside one."""
    if batch_memo is not None:
        batch_memo[key] = value


#: The longest timing an admin may set (hours): scans look this far ahead at most.
OFFSET_MAX_HOURS = 24 * 30
