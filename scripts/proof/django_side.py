"""The proof's look-ups and set-up inside Django (run by scripts/proof on the stack's
settings): ``python scripts/proof/django_side.py COMMAND [ARGS]``; prints JSON.

- ``prepare N SLUG``: N bench participants (one per pair) get an account that can sign in
  (verified email), and pending ledger items to confirm; prints their logins.
- ``verify ACKS.json``: which acknowledged writes are in the database.
- ``integrity SLUG``: rows a crash could leave half-written (a held session without both
  participations, a reflection without its session's participation...).
- ``outbox``: tasks waiting in the outbox. ``metrics PAIRS.json SINCE``: pairs whose
  metrics were not refreshed since SINCE.
- ``reminders_seed N`` / ``reminders_status``: the worker-crash batch (notifications).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

PASSWORD = "proof-Load-2026!"  # noqa: S105 - a throw-away bench login
PENDING_PER_USER = 40


def prepare(count: str, slug: str) -> dict:
    from allauth.account.models import EmailAddress

    from feedback.models import BenefitItem
    from mentoring.models import User
    from pairing.models import PairMember
    from programmes.models import Participant

    n = int(count)
    seats = list(
        PairMember.objects.filter(pair__cohort__programme__slug=slug, position=0)
        .select_related("participant")
        .order_by("pair_id")[:n]
    )
    hashed = make_password(PASSWORD)  # one hash for all: hashing 50 times is set-up time
    now = timezone.now()
    today = timezone.localdate()
    logins = []
    with transaction.atomic():
        for seat in seats:
            me = seat.participant
            user, _ = User.objects.get_or_create(
                email=me.email, defaults={"first_name": me.first_name, "last_name": me.last_name}
            )
            user.password = hashed
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=me.email, defaults={"verified": True, "primary": True}
            )
            Participant.objects.filter(pk=me.pk).update(user=user, charter_accepted_at=now)
            partner = (
                PairMember.objects.filter(pair_id=seat.pair_id).exclude(pk=seat.pk).first()
            ).participant_id
            items = BenefitItem.objects.bulk_create(
                [
                    BenefitItem(
                        pair_id=seat.pair_id,
                        giver_id=partner,
                        receiver_id=me.pk,
                        recorded_by_id=partner,
                        kind=BenefitItem.Kind.choices[i % len(BenefitItem.Kind.choices)][0],
                        description=f"Proof item {i}",
                        occurred_on=today - dt.timedelta(days=1 + i % 20),
                        status=BenefitItem.Status.PENDING,
                    )
                    for i in range(PENDING_PER_USER)
                ]
            )
            logins.append(
                {
                    "email": me.email,
                    "password": PASSWORD,
                    "pair_id": seat.pair_id,
                    "participant_id": me.pk,
                    "pending_items": [item.pk for item in items],
                }
            )
    return {"logins": logins}


def verify(path: str) -> dict:
    from feedback.models import BenefitItem, Reflection
    from pairing.models import MentoringSession

    acks = json.loads(Path(path).read_text())
    found: dict[str, int] = {}
    missing: dict[str, list] = {}

    def check(kind: str, keys: list, present: set) -> None:
        found[kind] = sum(1 for key in keys if _key(key) in present)
        missing[kind] = [key for key in keys if _key(key) not in present][:10]

    scheduled = acks.get("schedule", [])
    check(
        "schedule",
        scheduled,
        set(
            MentoringSession.objects.filter(
                pk__in=scheduled, status=MentoringSession.Status.SCHEDULED
            ).values_list("pk", flat=True)
        ),
    )
    logged = acks.get("log_past", [])
    check(
        "log_past",
        logged,
        set(
            MentoringSession.objects.filter(pk__in=logged, status=MentoringSession.Status.HELD)
            .annotate(n=Count("participations"))
            .filter(n=2)
            .values_list("pk", flat=True)
        ),
    )
    reflected = [tuple(x) for x in acks.get("reflect", [])]
    present = set(
        Reflection.objects.filter(session_id__in=[s for s, _ in reflected]).values_list(
            "session_id", "author_id"
        )
    )
    check("reflect", reflected, present)
    confirmed = acks.get("confirm", [])
    check(
        "confirm",
        confirmed,
        set(
            BenefitItem.objects.filter(
                pk__in=confirmed, status=BenefitItem.Status.CONFIRMED
            ).values_list("pk", flat=True)
        ),
    )
    return {"found": found, "missing": missing}


def _key(key):
    return tuple(key) if isinstance(key, list) else key


def integrity(slug: str) -> dict:
    """Rows a crash mid-request could leave half-written: each must be zero."""
    from feedback.models import Reflection
    from pairing.models import MentoringSession

    sessions = MentoringSession.objects.filter(pair__cohort__programme__slug=slug)
    held_without_two_sides = (
        sessions.filter(status=MentoringSession.Status.HELD)
        .annotate(n=Count("participations"))
        .exclude(n=2)
        .count()
    )
    held_without_log = sessions.filter(
        status=MentoringSession.Status.HELD, logged_at__isnull=True
    ).count()
    reflections_on_unheld = (
        Reflection.objects.filter(session__in=sessions)
        .exclude(session__status=MentoringSession.Status.HELD)
        .count()
    )
    return {
        "held sessions without both roles": held_without_two_sides,
        "held sessions without a log time": held_without_log,
        "reflections on sessions not held": reflections_on_unheld,
    }


def outbox() -> dict:
    from mentoring.models import PendingTask

    return {"pending": PendingTask.objects.count()}


def metrics(path: str) -> dict:
    """``path``: {pair id: ISO time of its last write}; which pairs were recomputed after."""
    from feedback.models import PairMetric

    since = {
        int(k): dt.datetime.fromisoformat(v) for k, v in json.loads(Path(path).read_text()).items()
    }
    computed = dict(
        PairMetric.objects.filter(pair_id__in=since).values_list("pair_id", "computed_at")
    )
    fresh = sum(1 for pair, at in since.items() if computed.get(pair) and computed[pair] >= at)
    return {"pairs": len(since), "refreshed": fresh}


def reminders_seed(count: str) -> dict:
    """N due reminders (Delivery rows, notifications contract) to mail in one batch."""
    from mentoring.models import User
    from mentoring.notifications.models import Delivery

    n = int(count)
    hashed = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"reminder{i:05d}@proof.example", password=hashed, first_name="R")
            for i in range(n)
        ],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__endswith="@proof.example").order_by("pk")[:n])
    due = timezone.now() - dt.timedelta(minutes=1)
    kind = _a_kind()
    Delivery.objects.bulk_create(
        [
            Delivery(
                recipient=user,
                email=user.email,
                kind=kind,
                object_key=f"proof:{user.pk}",
                due_at=due,
                # A stored message (as an admin's nudge has): sent as is, whatever the kind.
                context={
                    "message": {
                        "subject": f"Proof reminder {user.pk}",
                        "text": "A reminder sent by the worker-crash proof.",
                        "html": None,
                        "link": "http://127.0.0.1/",
                    }
                },
                status="pending",
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return {"kind": kind, "recipients": [u.email for u in users]}


def _a_kind() -> str:
    from mentoring.notifications.registry import kinds

    registered = kinds()
    for code in ("admin_nudge", "inactivity", "session_upcoming"):
        if code in registered:
            return code
    return next(iter(registered))


def reminders_status() -> dict:
    from mentoring.notifications.models import Delivery

    rows = Delivery.objects.filter(object_key__startswith="proof:")
    by_status = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "by_status": by_status,
        "total": rows.count(),
        "sent": rows.filter(Q(status="sent")).count(),
    }


COMMANDS = {
    "prepare": prepare,
    "verify": verify,
    "integrity": integrity,
    "outbox": outbox,
    "metrics": metrics,
    "reminders_seed": reminders_seed,
    "reminders_status": reminders_status,
}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:]), default=str))
