"""Rewrite the HR dashboard's summaries now (what the nightly task does).

python manage.py dashboard_refresh [--programme SLUG]
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from insights.services import dashboard_refresh, dashboard_refresh_all
from programmes.models import Programme


class Command(BaseCommand):
    help = "Refresh the HR dashboard's stored summaries (one programme or all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", help="A programme's slug (default: every one).")

    def handle(self, *args, **options) -> None:
        slug = options.get("programme")
        if slug:
            programme = Programme.objects.filter(slug=slug).first()
            if programme is None:
                raise CommandError(f"No programme {slug!r}.")
            pairs = dashboard_refresh(programme_id=programme.pk)
            self.stdout.write(f"{programme.slug}: {pairs} pairs.")
        else:
            self.stdout.write(f"{dashboard_refresh_all()} programmes refreshed.")
