"""Demo accounts. Other apps' ``demo.py`` modules build programmes, pairs and sessions on these."""

from dataclasses import dataclass

from .models import User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo password, demo data only


@dataclass(frozen=True)
class DemoLogin:
    role: str  # "admin", "hr" or "participant"
    email: str
    note: str = ""


SUPERUSER = ("super@demo.example", "Sam", "Superuser", "UTC")
PROGRAMME_ADMINS = [
    ("admin@demo.example", "Priya", "Natarajan", "Europe/London"),
    ("admin2@demo.example", "Marcus", "Webb", "America/New_York"),
]
HR_VIEWERS = [("hr@demo.example", "Helen", "Okafor", "Europe/Berlin")]
# The six named participants; programmes.demo adds the rest of the cohorts.
PARTICIPANTS = [
    ("ana@demo.example", "Ana", "Silva", "Europe/Lisbon"),
    ("ben@demo.example", "Ben", "Carter", "America/Los_Angeles"),
    ("chloe@demo.example", "Chloe", "Dubois", "Europe/Paris"),
    ("dev@demo.example", "Dev", "Patel", "Asia/Kolkata"),
    ("emma@demo.example", "Emma", "Johansson", "Europe/Stockholm"),
    ("farid@demo.example", "Farid", "Haddad", "Asia/Dubai"),
]


def demo_user(email: str, first_name: str, last_name: str, time_zone: str, **flags: bool) -> User:
    """Create or refresh a demo user with the demo password (idempotent)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "time_zone": time_zone},
    )
    changed = created
    for field, value in flags.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if changed:
        user.save()
    _verify_email(user)
    return user


def _verify_email(user: User) -> None:
    """Demo accounts have a verified primary address, so mandatory verification never blocks."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed() -> list[DemoLogin]:
    logins = []
    demo_user(*SUPERUSER, is_staff=True, is_superuser=True)
    logins.append(DemoLogin("admin", SUPERUSER[0], "superuser: every programme, Django admin"))
    for row in PROGRAMME_ADMINS:
        demo_user(*row)
        logins.append(DemoLogin("admin", row[0], "programme admin"))
    for row in HR_VIEWERS:
        demo_user(*row)
        logins.append(DemoLogin("hr", row[0], "HR viewer"))
    for row in PARTICIPANTS:
        demo_user(*row)
        logins.append(DemoLogin("participant", row[0]))
    return logins
