"""Create the demo organisation (idempotent) and print one line per login with its role."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from mentoring.demo import DEMO_PASSWORD, DemoLogin

# Each app's demo module has ``seed() -> list[DemoLogin]``; later ones build on earlier ones.
SEEDERS = ["mentoring.demo", "programmes.demo", "pairing.demo", "feedback.demo"]


class Command(BaseCommand):
    help = "Create the demo organisation (idempotent) and print the logins."

    def handle(self, *args, **options) -> None:
        logins: list[DemoLogin] = []
        with transaction.atomic():
            for module_name in SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                logins.extend(module.seed())
        seen: set[str] = set()
        self.stdout.write(f"Demo logins (password for every one: {DEMO_PASSWORD}):")
        for login in logins:
            if login.email in seen:
                continue
            seen.add(login.email)
            note = f"  ({login.note})" if login.note else ""
            self.stdout.write(f"{login.role:<12} {login.email}{note}")
