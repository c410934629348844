"""Demo programmes: two programmes, one cohort each, 44 enrolled participants (and two
invitees who have not answered yet).

"Cross-gender reciprocal mentoring" (reciprocal, alternate; admin@demo.example) has Ana,
Ben and Chloe, a published sign-up link and three applications waiting for a decision
(``applications``); "Reverse mentoring for leaders" (reverse, split; admin2@demo.example) has
Dev, Emma and Farid. hr@demo.example is HR viewer of both. Both programmes are left in
"matching" so the pairing demo can pair and start them.

- ``programmes``: each programme's settings, cohort and skill vocabulary;
- ``people.csv`` (read by ``people``): everyone taking part, in the participant import's
  columns plus what each person answers;
- ``seed``: builds it all through the real services, the people through the CSV import
  (the validation and apply path an admin's upload takes).

Idempotent: rows are looked up by their natural keys and never changed once created (a
later seeder may have moved a programme on).
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from mentoring.demo import DEMO_PASSWORD, HR_VIEWERS, PARTICIPANTS, PROGRAMME_ADMINS, DemoLogin

from . import applications
from .programmes import PROGRAMMES
from .seed import demo_programme_seed


def seed() -> list[DemoLogin]:
    today = timezone.localdate()
    password_hash = make_password(DEMO_PASSWORD)
    for spec in PROGRAMMES:
        demo_programme_seed(spec, today=today, password_hash=password_hash)
    logins = [DemoLogin("admin", row[0], "programme admin") for row in PROGRAMME_ADMINS]
    logins += [DemoLogin("hr", row[0], "HR viewer") for row in HR_VIEWERS]
    logins += [DemoLogin("participant", row[0]) for row in PARTICIPANTS]
    logins += applications.seed()
    return logins
