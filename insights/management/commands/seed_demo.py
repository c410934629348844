"""Create the demo organisation (idempotent) and print one line per login with its role.

The command lives on the top floor (insights) because it uses every app's demo module:
each has ``seed() -> list[DemoLogin]`` and builds on the ones before it, so they run in
floor order, in one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from feedback import demo as feedback_demo
from feedback import demo_outcomes as outcomes_demo
from insights import demo as insights_demo
from mentoring import demo as mentoring_demo
from mentoring.demo import DEMO_PASSWORD, DemoLogin
from pairing import demo as pairing_demo
from pairing import demo_reminders as reminders_demo
from programmes import demo as programmes_demo

# The reminder demo adds a session in under an hour to a pair the others built; the
# dashboards' summaries are refreshed last, from everything seeded before them.
SEEDERS = (
    mentoring_demo,
    programmes_demo,
    pairing_demo,
    feedback_demo,
    outcomes_demo,
    reminders_demo,
    insights_demo,
)


class Command(BaseCommand):
    help = "Create the demo organisation (idempotent) and print the logins."

    def handle(self, *args, **options) -> None:
        logins: list[DemoLogin] = []
        with transaction.atomic():
            for module in SEEDERS:
                logins.extend(module.seed())
        # One line per login, in the order first seen; later seeders add notes (who a
        # participant is paired with, what the admin's pair health shows).
        roles: dict[str, str] = {}
        notes: dict[str, list[str]] = {}
        for login in logins:
            roles.setdefault(login.email, login.role)
            seen = notes.setdefault(login.email, [])
            if login.note and login.note not in seen:
                seen.append(login.note)
        self.stdout.write(f"Demo logins (password for every one: {DEMO_PASSWORD}):")
        for email, role in roles.items():
            note = f"  ({'; '.join(notes[email])})" if notes[email] else ""
            self.stdout.write(f"{role:<12} {email}{note}")
