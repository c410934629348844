"""Every promise a screen makes about who sees what, tested as the people concerned.

Each test is named after the promise it checks. It loads the pages (or reads the emails)
as each person who must not see the thing: the partner, a member of another pair, the
programme's admin, an admin of another programme, the HR viewer, the superuser; and, where
the promise is that someone *does* see it, as that person too. Data is made the way a user
makes it: through the views where a form makes the promise, otherwise through the services.

Promises covered, as the screens word them:

- End early form: "Your programme admins read this. Your partner is told the pair ended,
  not your reason."; its flash "Your partner and the programme admins have been told".
- Profile, demographics consent: "Used only for pairing … and for aggregated reports in
  which groups smaller than 5 people are hidden. Never shown to your partner or to anyone
  as an individual. Untick to erase them."; the withdraw page "The gender and birth year
  you shared are erased when you withdraw."; after the end, "Erase my gender and birth
  year … They stop counting in pairing scores and in every report".
- Reflection form: "Your partner never sees your ratings. Programme admins see only your
  pair's average, once everyone in your pair has reflected; HR viewers see only averages
  over groups of 5 people or more." and, for the texts, "Unticked, only you read them.
  Ticked, your partner reads them on the session page. Programme admins and HR never see
  these texts."
- Pair health: "Session notes and reflection texts are private to the pair and never shown
  here, nor either side's own ratings".
- Private note: "Only you will ever see this: not your partner, not admins, not HR.",
  "Nobody else ever sees it" and the flash "Private note saved. Only you can see it."
- Profile goals: "What you want from this programme … Your partner will see them."
- Withdraw form: "Only the programme admins read this."
- Cancelling a session: "Your partner will see the reason." / "Your partner sees this."
- Disputing a ledger item: "Your partner sees this. A disputed item never counts."
- Asks (reverse programmes): "Asked. Your partner sees it on your pair page."
- Roles page: "HR viewers see aggregated dashboards only, never an individual's profile or
  notes."; HR home card: "nothing individual is shown to HR viewers".

The superuser is checked on the app's pages (where they act as every programme's admin);
what the Django admin shows is tested with the Django admin itself.
"""

import datetime as dt
import io
import re

import pytest
from celery import current_app
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import BenefitItem, Reflection
from feedback.services.ledger import benefit_item_record
from feedback.services.metrics import metrics_compute
from feedback.services.reflections import reflection_save
from mentoring.models import User
from pairing.engine import reason_texts
from pairing.models import MentoringSession, Pair
from pairing.services.matching import match_run_execute, match_run_start
from pairing.services.sessions import session_log, session_schedule
from programmes.models import Participant, Programme, Skill
from tests.factories import ParticipantFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db

#: Staff who are not in the pair. The superuser administers every programme.
STAFF = ("admin", "hr", "other_programme_admin", "superuser")


# --- helpers --------------------------------------------------------------------------------
@pytest.fixture
def eager_tasks():
    """Tasks enqueued after commit run in this process, so their emails can be read."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(client: Client, url: str, expect: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == expect, f"{url}: {response.status_code} != {expect}"
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def as_actor(world: World, actor: str, url: str, expect: int = 200) -> str:
    return text(world.client_for(actor), url, expect)


def normalised(html: str) -> str:
    """The page without what changes on every request (CSRF tokens, CSP nonces)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken": ")[^"]+', r"\1", html)


def held_session(pair: Pair, mentor: Participant, mentee: Participant, days_ago: int = 2):
    session = session_schedule(
        pair=pair,
        by=mentor,
        scheduled_start=timezone.now() - dt.timedelta(days=days_ago),
        now=timezone.now() - dt.timedelta(days=days_ago + 1),  # scheduled the day before
    )
    return session_log(
        session=session,
        by=mentor,
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        roles={mentor.pk: "mentor", mentee.pk: "mentee"},
        shared_notes="We mapped the stakeholders.",
    )


def reflect(session, author, *, learned=4, challenged=3, listened=4, power_shared=4, **texts):
    return reflection_save(
        session=session,
        author=author,
        learned=learned,
        challenged=challenged,
        listened=listened,
        power_shared=power_shared,
        **texts,
    )


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


# --- ending a pair early ----------------------------------------------------------------------
END_REASON = "My manager moved me to night shifts; this is about me, not about you."


@pytest.fixture
def ended(world, eager_tasks, django_capture_on_commit_callbacks) -> Pair:
    """The member ends the pair from the end form, as in the browser; emails go out."""
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("member").post(
            url("pairing:end_request", pair_id=world.pair.pk),
            {"reason": END_REASON, "confirm": "on"},
            follow=True,
        )
    assert "Your partner and the programme admins have been told" in response.content.decode()
    world.pair.refresh_from_db()
    assert world.pair.status == Pair.Status.ENDED_EARLY
    return world.pair


def test_end_reason__your_partner_is_told_the_pair_ended_not_your_reason(world, ended):
    partner = client_of(world.partner.user)
    for page in ("feedback:pair_detail", "feedback:pair_complete"):
        html = text(partner, url(page, pair_id=ended.pk))
        assert "Your partner ended" in html
        assert "night shifts" not in html
        # The person who ended it still reads their own reason there.
        assert END_REASON in as_actor(world, "member", url(page, pair_id=ended.pk))
    told = [m for m in mail.outbox if m.to == [world.partner.email]]
    assert len(told) == 1 and "night shifts" not in told[0].subject + told[0].body
    # Nobody outside the pair reaches the pair's pages, staff included.
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, url("feedback:pair_detail", pair_id=ended.pk), expect=404)
        as_actor(world, actor, url("feedback:pair_complete", pair_id=ended.pk), expect=404)


def test_end_reason__your_programme_admins_read_this(world, ended):
    detail = url("feedback:pair_health_detail", pair_id=ended.pk)
    for actor in ("admin", "superuser"):  # the superuser administers every programme
        html = as_actor(world, actor, detail)
        shown = re.search(r'data-testid="end-reason">([^<]*)<', html)
        assert shown and shown.group(1) == END_REASON.replace("'", "&#x27;")
        assert f'<dd class="col-sm-6">{world.member.display_name}</dd>' in html  # ended by
    for actor in ("hr", "other_programme_admin", "other_pair_member"):
        as_actor(world, actor, detail, expect=404)
    to_admin = [m for m in mail.outbox if m.to == [world.admin.email]]
    assert len(to_admin) == 1 and END_REASON in to_admin[0].body
    readers = {address for m in mail.outbox if "night shifts" in m.body for address in m.to}
    assert readers == {world.admin.email}  # not HR, not the other programme's admin


# --- consented demographics -------------------------------------------------------------------
# Codes from the profile's short list (Participant.Gender); a page would show their labels.
GENDERS = {"ana": "woman", "ben": "non_binary", "chloe": "woman", "dev": "non_binary"}
YEARS = {"ana": 1995, "ben": 1968, "chloe": 1991, "dev": 1972}
DEMOGRAPHIC_TEXTS = (
    *set(GENDERS.values()),
    *{Participant.Gender(code).label for code in GENDERS.values()},
    *(str(y) for y in YEARS.values()),
    "Cross-gender pair",
    "Generations apart",
)


def shows_no_demographics(html: str, where: str) -> None:
    leaked = [t for t in DEMOGRAPHIC_TEXTS if t in html]
    assert not leaked, f"{where} shows {leaked}"


def profile_post(participant: Participant, **overrides) -> dict:
    skills = {s.name: s.pk for s in Skill.objects.filter(programme=participant.cohort.programme)}
    key = participant.first_name.lower()
    offers, wants = {
        "ana": ("Python", "Negotiation"),
        "ben": ("Negotiation", "Python"),
        "chloe": ("Design", "Law"),
        "dev": ("Law", "Design"),
    }[key]
    data = {
        "skills_offered": [skills[offers]],
        "skills_wanted": [skills[wants]],
        "goals": "Grow.",
        "time_zone": "Europe/Lisbon",
        "demographics_consent": "on",
        "gender": GENDERS[key],
        "birth_year": YEARS[key],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def consenting(world):
    """Four newcomers of the world's cohort share their gender and birth year on their
    profile, then the admin runs the pairing: two proposals that earn the diversity bonus."""
    programme = world.programme
    programme.cross_gender_weight, programme.cross_generation_weight = 3, 2
    programme.cross_department_weight = 0
    programme.save()
    for name in ("Python", "Negotiation", "Design", "Law"):
        Skill.objects.create(programme=programme, name=name)
    people = {}
    for name in GENDERS:
        user = UserFactory(email=f"{name}@world.example", first_name=name.title())
        people[name] = ParticipantFactory(cohort=world.cohort, user=user, first_name=name.title())
        response = client_of(user).post(
            url("programmes:profile", participant_id=people[name].pk),
            profile_post(people[name]),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Participant.objects.filter(demographics_consent=True, gender="woman").count() == 2
    run = match_run_start(cohort=world.cohort, by=world.admin)
    match_run_execute(run_id=run.pk)
    proposals = Pair.objects.filter(cohort=world.cohort, status=Pair.Status.PROPOSED)
    assert proposals.count() == 2
    assert all(p.demographic_bonus == 5 for p in proposals)  # cross-gender 3 + generation 2
    return people


def test_demographics__never_shown_to_your_partner(
    world, consenting, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("admin").post(
            url("pairing:pairs_publish", cohort_id=world.cohort.pk)
        )
    assert response.status_code == 302
    pair = Pair.objects.get(members__participant=consenting["ana"])
    assert pair.status == Pair.Status.PUBLISHED
    assert "Both ways" in " ".join(reason_texts(pair.reasons))  # the skill reason stays
    for name in ("ana", "ben"):
        html = text(client_of(consenting[name].user), url("feedback:pair_detail", pair_id=pair.pk))
        assert "Why you were paired" in html and "Both ways" in html
        shows_no_demographics(html, f"the pair page as {name}")
        (email,) = [m for m in mail.outbox if m.to == [consenting[name].email]]
        assert "Why you were paired" in email.body
        shows_no_demographics(email.subject + email.body, f"the paired email to {name}")


def test_demographics__never_shown_to_anyone_as_an_individual(world, consenting):
    ana, chloe = consenting["ana"], consenting["chloe"]
    proposal = Pair.objects.get(members__participant=ana)
    assert not proposal.members.filter(participant=chloe).exists()
    admin_pages = {
        "the proposal": url("pairing:cohort_pairs", cohort_id=world.cohort.pk),
        "the exclude page": url("pairing:pair_exclude", pair_id=proposal.pk),
        "the swap preview": url("pairing:pairs_swap", cohort_id=world.cohort.pk)
        + f"?person_a={ana.pk}&person_b={chloe.pk}",
        "the cohort table": url("programmes:cohort_detail", cohort_id=world.cohort.pk),
        "the CSV export": url("programmes:cohort_export", cohort_id=world.cohort.pk),
        "the pair-health list": url("feedback:pair_health", slug=world.programme.slug),
    }
    for actor in ("admin", "superuser"):
        for where, page in admin_pages.items():
            shows_no_demographics(as_actor(world, actor, page), f"{where} as {actor}")
    # The admin may see that a pair earned a diversity bonus, as one number: not which.
    proposal_page = as_actor(world, "admin", admin_pages["the proposal"])
    assert proposal_page.count("Diversity: +5") == 2
    assert "Diversity: +5" in as_actor(world, "admin", admin_pages["the exclude page"])
    for actor in ("hr", "other_programme_admin", "other_pair_member", "member"):
        for page in admin_pages.values():
            as_actor(world, actor, page, expect=404)


def test_demographics__untick_to_erase_them(world, consenting):
    ana = consenting["ana"]
    proposal = Pair.objects.get(members__participant=ana)
    before = proposal.score
    response = client_of(ana.user).post(
        url("programmes:profile", participant_id=ana.pk),
        profile_post(ana, demographics_consent=None, gender="", birth_year=""),
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.demographics_consent, ana.gender, ana.birth_year) == (False, "", None)
    proposal.refresh_from_db()
    # Re-derived without her: the perfect two-way skill fit alone (10 of 15).
    assert proposal.demographic_bonus == 0
    assert proposal.score == pytest.approx(before - 5) and proposal.percent == 67
    page = as_actor(world, "admin", url("pairing:cohort_pairs", cohort_id=world.cohort.pk))
    assert page.count("Diversity: +5") == 1  # only the other pair's bonus is left


def test_demographics__erased_when_withdrawing(world, consenting):
    ben = consenting["ben"]
    page = text(client_of(ben.user), url("programmes:withdraw", participant_id=ben.pk))
    assert "The gender and birth year you shared are erased when you withdraw." in page
    client_of(ben.user).post(
        url("programmes:withdraw", participant_id=ben.pk),
        {"reason": "Changing teams.", "confirm": "on"},
    )
    ben.refresh_from_db()
    assert ben.status == Participant.Status.WITHDRAWN
    assert (ben.demographics_consent, ben.gender, ben.birth_year) == (False, "", None)
    assert Pair.objects.get(members__participant=ben).demographic_bonus == 0


def test_demographics__erased_after_the_programme_ended(world, consenting):
    world.client_for("admin").post(url("pairing:pairs_publish", cohort_id=world.cohort.pk))
    dev = consenting["dev"]
    pair = Pair.objects.get(members__participant=dev)
    score = pair.score
    Participant.objects.filter(pk=dev.pk).update(status=Participant.Status.COMPLETED)
    profile = url("programmes:profile", participant_id=dev.pk)
    dev_client = client_of(dev.user)
    assert "Erase my gender and birth year" in text(dev_client, profile)
    refused = dev_client.post(profile, {})
    assert "Tick the box to erase them." in refused.content.decode()
    response = dev_client.post(profile, {"erase_demographics": "on"}, follow=True)
    assert "Your gender and birth year are erased" in response.content.decode()
    dev.refresh_from_db()
    assert (dev.demographics_consent, dev.gender, dev.birth_year) == (False, "", None)
    pair.refresh_from_db()
    assert pair.demographic_bonus == 0 and pair.score == pytest.approx(score - 5)
    assert "Erase my gender and birth year" not in text(dev_client, profile)


def test_demographics__an_imported_file_never_stores_or_shows_them(world):
    """The CSV import has no demographic columns: a file that has them is shown and stored
    without them (only the participant can share these, with consent)."""
    csv = "email,first_name,gender,birth_year\nnew.person@world.example,Nia,Woman,1993\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "people.csv"
    admin = world.client_for("admin")
    response = admin.post(
        url("programmes:import_upload", cohort_id=world.cohort.pk), {"file": upload}
    )
    assert response.status_code == 302
    preview = text(admin, response["Location"])
    assert "Nia" in preview and "Woman" not in preview and "1993" not in preview
    admin.post(response["Location"], {})
    nia = Participant.objects.get(email="new.person@world.example")
    assert (nia.gender, nia.birth_year, nia.demographics_consent) == ("", None, False)


# --- reflections --------------------------------------------------------------------------------
@pytest.fixture
def session(world) -> MentoringSession:
    return held_session(world.pair, world.member, world.partner)


FIXED_NOW = timezone.now()


def recompute(pair: Pair) -> None:
    """Metrics as the worker stores them, at a fixed time so pages can be compared."""
    metrics_compute(pair_ids=[pair.pk], now=FIXED_NOW)


def partner_pages(world: World, session: MentoringSession) -> dict[str, str]:
    partner = client_of(world.partner.user)
    pages = {
        "pair page": url("feedback:pair_detail", pair_id=world.pair.pk),
        "session page": url("feedback:session_detail", session_id=session.pk),
        "session list": url("feedback:session_list", pair_id=world.pair.pk),
    }
    return {name: normalised(text(partner, page)) for name, page in pages.items()}


def test_ratings__your_partner_never_sees_your_ratings(world, session):
    reflect(session, world.partner)
    reflect(session, world.member, learned=5, challenged=5, listened=5, power_shared=5)
    recompute(world.pair)
    seen_before = partner_pages(world, session)
    assert "Your balance" in seen_before["pair page"]
    reflect(session, world.member, learned=1, challenged=1, listened=1, power_shared=1)
    recompute(world.pair)
    # Whatever the member rated, the partner's pages are byte for byte the same.
    assert partner_pages(world, session) == seen_before


def admin_health_pages(world: World, actor: str = "admin") -> dict[str, str]:
    pages = {
        "list": url("feedback:pair_health", slug=world.programme.slug),
        "detail": url("feedback:pair_health_detail", pair_id=world.pair.pk),
    }
    return {name: normalised(as_actor(world, actor, page)) for name, page in pages.items()}


def test_ratings__admins_see_only_the_pairs_average_once_everyone_reflected(world, session):
    # One side has reflected: whatever it rated, the admin's pages do not change.
    reflect(session, world.member, learned=5, challenged=1, listened=1, power_shared=1)
    recompute(world.pair)
    one_side = admin_health_pages(world)
    assert "until then an average would be one person's rating" in one_side["detail"]
    reflect(session, world.member, learned=1, challenged=5, listened=5, power_shared=5)
    recompute(world.pair)
    assert admin_health_pages(world) == one_side

    # Both have reflected: the pair's mix shows, and swapping who rated what changes nothing.
    reflect(session, world.member, challenged=1, listened=2, power_shared=5)
    reflect(session, world.partner, challenged=5, listened=4, power_shared=1)
    recompute(world.pair)
    both = admin_health_pages(world)
    assert re.findall(r'data-testid="pooled-rating">([\d.]+)<', both["detail"]) == [
        "3.0",
        "3.0",
        "3.0",
    ]
    reflect(session, world.member, challenged=5, listened=4, power_shared=1)
    reflect(session, world.partner, challenged=1, listened=2, power_shared=5)
    recompute(world.pair)
    assert admin_health_pages(world) == both
    for actor in ("hr", "other_programme_admin", "member", "other_pair_member"):
        as_actor(world, actor, url("feedback:pair_health_detail", pair_id=world.pair.pk), 404)
        as_actor(world, actor, url("feedback:pair_health", slug=world.programme.slug), 404)


def test_ratings__the_reflection_form_says_who_sees_what(world, session):
    html = as_actor(world, "member", url("feedback:reflection", session_id=session.pk))
    assert "Your partner never sees your ratings." in html
    assert "Programme admins see only your pair's average" in html
    assert "Ticked, your partner reads them on the session page." in html
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, url("feedback:reflection", session_id=session.pk), expect=404)


def test_reflection_texts__your_partner_reads_them_only_when_shared(world, session):
    reflection = url("feedback:reflection", session_id=session.pk)
    ratings = {"learned": 4, "challenged": 3, "listened": 4, "power_shared": 4}
    member = world.client_for("member")
    member.post(
        reflection, {**ratings, "learned_text": "KEPT-TO-MYSELF", "change_text": "Ask more"}
    )
    partner = client_of(world.partner.user)
    session_page = url("feedback:session_detail", session_id=session.pk)
    assert "KEPT-TO-MYSELF" not in text(partner, session_page)
    member.post(
        reflection,
        {
            **ratings,
            "learned_text": "SHARED-TEXT",
            "change_text": "Ask more",
            "share_with_partner": "on",
        },
    )
    assert Reflection.objects.get(author=world.member).share_with_partner
    assert "SHARED-TEXT" in text(partner, session_page)
    recompute(world.pair)
    for actor in ("admin", "superuser"):
        for page in admin_health_pages(world, actor).values():
            assert "SHARED-TEXT" not in page and "KEPT-TO-MYSELF" not in page
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, session_page, expect=404)


# --- private notes ----------------------------------------------------------------------------
def test_private_note__only_you_will_ever_see_this(world, session):
    note_url = url("pairing:session_private_note", session_id=session.pk)
    response = world.client_for("member").post(note_url, {"text": "PRIVATE-NOTE-TEXT"}, follow=True)
    assert "Private note saved. Only you can see it." in response.content.decode()
    session_page = url("feedback:session_detail", session_id=session.pk)
    assert "PRIVATE-NOTE-TEXT" in as_actor(world, "member", session_page)
    partner = client_of(world.partner.user)
    for page in (
        session_page,
        url("feedback:pair_detail", pair_id=world.pair.pk),
        url("feedback:session_list", pair_id=world.pair.pk),
        url("pairing:session_log", session_id=session.pk),
        note_url,
    ):
        assert "PRIVATE-NOTE-TEXT" not in text(partner, page)
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, session_page, expect=404)
        as_actor(world, actor, note_url, expect=404)
    recompute(world.pair)
    for page in admin_health_pages(world).values():
        assert "PRIVATE-NOTE-TEXT" not in page


# --- goals, withdrawal, cancellations, disputes, asks -----------------------------------------
def test_goals__your_partner_will_see_them(world):
    member = world.client_for("member")
    profile = url("programmes:profile", participant_id=world.member.pk)
    response = member.post(profile, {"goals": "Speak at the all-hands.", "time_zone": "UTC"})
    assert response.status_code == 302
    pair_page = url("feedback:pair_detail", pair_id=world.pair.pk)
    assert "Speak at the all-hands." in text(client_of(world.partner.user), pair_page)
    # Tracked goals do not hide them.
    member.post(
        url("feedback:goal_create", pair_id=world.pair.pk),
        {"title": "Draft the talk", "progress": 10},
    )
    assert "Speak at the all-hands." in text(client_of(world.partner.user), pair_page)
    assert "Speak at the all-hands." not in as_actor(
        world, "other_pair_member", url("feedback:pair_detail", pair_id=world.other_pair.pk)
    )


def test_withdrawal_reason__only_the_programme_admins_read_this(world):
    leaver = ParticipantFactory(cohort=world.cohort, user=UserFactory(email="leaver@world.example"))
    reason = "WITHDRAWAL-REASON: my team is being reorganised."
    client_of(leaver.user).post(
        url("programmes:withdraw", participant_id=leaver.pk), {"reason": reason, "confirm": "on"}
    )
    table = url("programmes:cohort_detail", cohort_id=world.cohort.pk)
    for actor in ("admin", "superuser"):
        assert reason in as_actor(world, actor, table)
    assert reason not in as_actor(
        world, "admin", url("programmes:cohort_export", cohort_id=world.cohort.pk)
    )
    for actor in ("hr", "other_programme_admin", "member", "other_pair_member"):
        as_actor(world, actor, table, expect=404)
    for actor in ("member", "other_pair_member"):
        assert reason not in as_actor(world, actor, url("programmes:my_programme"))


def test_cancel_reason__your_partner_sees_it(world):
    session = session_schedule(
        pair=world.pair, by=world.member, scheduled_start=timezone.now() + dt.timedelta(days=3)
    )
    cancel = url("pairing:session_cancel", session_id=session.pk)
    assert "Your partner will see the reason." in as_actor(world, "member", cancel)
    world.client_for("member").post(cancel, {"reason": "CANCEL-REASON: off sick"})
    session_page = url("feedback:session_detail", session_id=session.pk)
    assert "CANCEL-REASON: off sick" in text(client_of(world.partner.user), session_page)
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, session_page, expect=404)


def test_dispute_reason__your_partner_sees_this(world):
    item = benefit_item_record(
        pair=world.pair,
        by=world.member,
        giver=world.member,
        receiver=world.partner,
        kind=BenefitItem.Kind.INTRODUCTION,
        description="Introduced you to the CFO.",
        occurred_on=timezone.localdate(),
    )
    dispute = url("feedback:ledger_dispute", item_id=item.pk)
    partner = client_of(world.partner.user)
    assert "Your partner sees this." in text(partner, dispute)
    partner.post(dispute, {"reason": "DISPUTE-REASON: we only said hello"})
    ledger = url("feedback:ledger", pair_id=world.pair.pk)
    assert "DISPUTE-REASON: we only said hello" in as_actor(world, "member", ledger)
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, ledger, expect=404)
    recompute(world.pair)
    for page in admin_health_pages(world).values():
        assert "DISPUTE-REASON" not in page


def test_ask__your_partner_sees_it_on_your_pair_page(world):
    Programme.objects.filter(pk=world.programme.pk).update(kind=Programme.Kind.REVERSE)
    Participant.objects.filter(pk=world.member.pk).update(seniority=2)
    Participant.objects.filter(pk=world.partner.pk).update(seniority=8)
    response = world.client_for("member").post(
        url("feedback:ask_create", pair_id=world.pair.pk),
        {"kind": "introduce", "detail": "ASK-DETAIL: the head of data"},
        follow=True,
    )
    assert "Asked. Your partner sees it on your pair page." in response.content.decode()
    pair_page = url("feedback:pair_detail", pair_id=world.pair.pk)
    assert "the head of data" in text(client_of(world.partner.user), pair_page)
    for actor in ("other_pair_member", *STAFF):
        as_actor(world, actor, pair_page, expect=404)


# --- HR viewers -------------------------------------------------------------------------------
def test_hr_viewers_see_aggregated_dashboards_only_never_an_individual(world, session):
    recompute(world.pair)
    individual_pages = [
        url("programmes:programme_detail", slug=world.programme.slug),
        url("programmes:cohort_detail", cohort_id=world.cohort.pk),
        url("programmes:cohort_export", cohort_id=world.cohort.pk),
        url("pairing:cohort_pairs", cohort_id=world.cohort.pk),
        url("feedback:pair_detail", pair_id=world.pair.pk),
        url("feedback:session_detail", session_id=session.pk),
        url("feedback:pair_health", slug=world.programme.slug),
        url("feedback:pair_health_detail", pair_id=world.pair.pk),
        url("programmes:profile", participant_id=world.member.pk),
    ]
    for page in individual_pages:
        as_actor(world, "hr", page, expect=404)
    home = as_actor(world, "hr", "/")
    assert "nothing individual is shown to HR viewers" in home
    assert 'href="/insights/"' in home
    for person in (world.member, world.partner, world.other_member):
        assert person.display_name not in home and person.email not in home
    assert "HR viewers see aggregated dashboards only" in as_actor(
        world, "admin", url("programmes:roles", slug=world.programme.slug)
    )


def test_a_pair_not_yet_published_is_nobodys_but_the_admins(world, consenting):
    """A proposal and its reasons are the admin's draft: members do not see it yet."""
    proposal = Pair.objects.get(members__participant=consenting["ana"])
    for person in ("ana", "ben"):
        text(
            client_of(consenting[person].user),
            url("feedback:pair_detail", pair_id=proposal.pk),
            404,
        )
