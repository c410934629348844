"""Calendar-feed and invitation tokens are stored hashed, and links sent before keep working.

The database never holds a usable link: a leaked table, backup or admin page gives none.
The migrations hash the raw tokens already stored, in place, so the invitation emails
and calendar subscriptions that went out before the change still open.
"""

import hashlib

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pairing.models import CalendarFeed
from programmes.models import Invitation, Participant
from programmes.services.imports import COLUMNS, import_apply
from tests.tokens import emailed_invitation_token

LEGACY = "legacy-token-emailed-before-hashing-0123456789ab"


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migrations_hash_stored_tokens_in_place_so_old_links_still_work(world):
    invited = Participant.objects.create(
        cohort=world.cohort, email="early@world.example", status=Participant.Status.INVITED
    )
    invitation = Invitation.objects.create(
        participant=invited, email=invited.email, cohort=world.cohort
    )
    feed = CalendarFeed.objects.create(user=world.member.user, token_hash="x" * 64)
    before = [("programmes", "0001_initial"), ("pairing", "0002_pair_reasons_without_demographics")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(before).loader.project_state(before).apps
        # As the tables were before: the raw token in a "token" column.
        old.get_model("programmes", "Invitation").objects.filter(pk=invitation.pk).update(
            token=LEGACY
        )
        old.get_model("pairing", "CalendarFeed").objects.filter(pk=feed.pk).update(
            token=LEGACY[::-1]
        )
    finally:
        _migrate(latest)

    digest = Invitation.objects.get(pk=invitation.pk).token_hash
    assert digest == hashlib.sha256(LEGACY.encode()).hexdigest()
    assert CalendarFeed.objects.get(pk=feed.pk).token_hash == (
        hashlib.sha256(LEGACY[::-1].encode()).hexdigest()
    )
    # The links that went out before the change still open.
    page = Client().get(reverse("programmes:invitation", kwargs={"token": LEGACY}))
    assert page.status_code == 200 and "early@world.example" in page.text
    assert Client().get(reverse("pairing:calendar_feed", args=[LEGACY[::-1]])).status_code == 200


@pytest.mark.django_db
def test_imported_invitations_store_no_token_and_each_email_carries_a_working_one(
    setup, inline_tasks, django_capture_on_commit_callbacks
):
    header = ",".join(COLUMNS)
    rows = "\n".join(f"p{i}@acme.example,P,{i}" + "," * (len(COLUMNS) - 3) for i in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        import_apply(
            cohort=setup.cohort,
            text=f"{header}\n{rows}\n",
            add_unknown_skills=False,
            by=setup.admin,
            base_url="http://t",
        )
    assert len(mail.outbox) == 3
    tokens = {m.to[0]: emailed_invitation_token(m.body) for m in mail.outbox}
    stored = " ".join(Invitation.objects.values_list("token_hash", flat=True))
    for email, token in tokens.items():
        assert token not in stored
        invitation = Invitation.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
        assert invitation.email == email and invitation.expires_at > timezone.now()


@pytest.mark.django_db
def test_an_invitation_not_yet_emailed_has_no_working_link(setup):
    """Until its email goes out an invitation's stored digest matches no token at all."""
    participant = Participant.objects.create(
        cohort=setup.cohort, email="waiting@acme.example", status=Participant.Status.INVITED
    )
    invitation = Invitation.objects.create(
        participant=participant, email=participant.email, cohort=setup.cohort
    )
    assert len(invitation.token_hash) == 64
    other = Invitation.objects.create(
        participant=Participant.objects.create(
            cohort=setup.cohort, email="w2@acme.example", status=Participant.Status.INVITED
        ),
        email="w2@acme.example",
        cohort=setup.cohort,
    )
    assert other.token_hash != invitation.token_hash  # unique placeholders
