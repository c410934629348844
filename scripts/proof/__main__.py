# ruff: noqa: S603, S607, S608 - runs the stack's own binaries with fixed arguments
"""`make proof`: the production-like stack on loopback, under load, faults and restores.

    python -m scripts.proof            # the full version (README figures)
    python -m scripts.proof --short    # CI: each scenario at most about a minute

Starts its own PostgreSQL, Redis, gunicorn (2 workers, production settings), a Celery
worker and beat on their own ports and folders, runs the scenarios, stops every process
it started by id (also on failure or Ctrl-C) and prints one table. Exit status 1 if any
scenario failed. The hostile-input scenario is the pytest suite under tests/hostile/
(it runs in `make test` as well); ``--hostile`` runs it here too.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from . import scenarios
from .report import Row, table
from .stack import ROOT, Stack


@dataclass(frozen=True)
class Plan:
    participants: int  # seed_bench size
    users: int  # concurrent signed-in participants
    load_seconds: int
    trivial_seconds: int
    redis_down: int
    pg_down: int
    reminders: int


FULL = Plan(
    participants=5000,
    users=50,
    load_seconds=60,
    trivial_seconds=30,
    redis_down=30,
    pg_down=15,
    reminders=1000,
)
SHORT = Plan(
    participants=1000,
    users=50,
    load_seconds=20,
    trivial_seconds=10,
    redis_down=10,
    pg_down=6,
    reminders=1000,
)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.proof")
    parser.add_argument("--short", action="store_true", help="the CI version")
    parser.add_argument("--hostile", action="store_true", help="also run tests/hostile")
    parser.add_argument("--pg-port", type=int, default=55532)
    parser.add_argument("--redis-port", type=int, default=56479)
    parser.add_argument("--web-port", type=int, default=58080)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers (2+)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    plan = SHORT if args.short else FULL
    stack = Stack(
        pg_port=args.pg_port,
        redis_port=args.redis_port,
        web_port=args.web_port,
        web_workers=max(args.web_workers, 2),
    )

    def on_signal(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    rows = []
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"::: proof ({'short' if args.short else 'full'}) {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    try:
        stack.start(say=say)
        say(f"::: seed_bench --participants {plan.participants}")
        say(
            "  "
            + stack.manage("seed_bench", "--participants", str(plan.participants))
            .strip()
            .splitlines()[-1]
        )
        slug = f"bench-{plan.participants}"
        logins = json.loads(stack.django("django_side.py", "prepare", str(plan.users), slug))
        stack.serve()
        say(f"::: stack up: gunicorn {stack.web_workers} workers on 127.0.0.1:{stack.web_port}")
        rows += scenarios.load(stack, plan, logins["logins"], say)
        for name, run in (
            ("broker outage", lambda: scenarios.broker_outage(stack, plan, say)),
            ("database restart", lambda: scenarios.database_restart(stack, plan, slug, say)),
            ("worker crash", lambda: scenarios.worker_crash(stack, plan, say)),
            ("backups", lambda: scenarios.backups(stack, say)),
        ):
            rows.append(guarded(name, run))
        if args.hostile:
            rows.append(hostile(stack, say))
    except KeyboardInterrupt:
        say("::: interrupted")
        return 130
    finally:
        say("::: stopping the stack")
        stack.stop()
        if not args.keep and not any(not r.passed for r in rows):
            subprocess.run(["rm", "-rf", str(stack.work)], check=False)
        else:
            say(f"  logs and data kept in {stack.work}")
    say(
        f"\n::: proof finished in {time.monotonic() - started:.0f} s "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n"
    )
    say(table(rows))
    return 0 if all(r.passed for r in rows) else 1


def guarded(name: str, run) -> Row:
    """A scenario that crashes is a failed row (with the error), not a lost table."""
    try:
        return run()
    except Exception as exc:  # noqa: BLE001
        row = Row(name)
        row.fail(f"{exc.__class__.__name__}: {str(exc)[-400:]}")
        return row


def hostile(stack: Stack, say) -> Row:
    say("::: hostile input (pytest tests/hostile, on this PostgreSQL and Redis)")
    row = Row("hostile input (pytest tests/hostile)")
    env = {k: v for k, v in stack.env().items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="mentoring.settings.test",
        DATABASE_URL=stack.database_url.replace("/mentoring", "/mentoring_hostile"),
        REDIS_URL=f"redis://127.0.0.1:{stack.redis_port}/3",
        REDIS_CACHE_URL=f"redis://127.0.0.1:{stack.redis_port}/4",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/hostile", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    row.notes.append(last)
    if result.returncode != 0:
        row.fail("tests/hostile failed")
    return row


if __name__ == "__main__":
    sys.exit(main())
