"""Gender as a short list, compared normalised (Step 8, item 6).

The profile offers Woman, Man, Non-binary, Self-describe (with the person's words) and
Prefer not to say; the engine compares the first three only; existing free text is mapped
by ``programmes/migrations/0005``; consent still guards every value, the words included.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from pairing.candidates import candidates_build
from pairing.models import Pair
from pairing.services.matching import pair_propose
from programmes.forms.participation import ParticipantProfileForm
from programmes.models import Participant
from programmes.services.participants import participant_demographics_erase
from tests.factories import ParticipantFactory, make_pair
from tests.pairing.test_matching_service import make_cohort, person

pytestmark = pytest.mark.django_db

migration = importlib.import_module("programmes.migrations.0005_gender_normalised")
G = Participant.Gender


# --- the data migration --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "mapped"),
    [
        ("Female", ("woman", "")),
        ("female", ("woman", "")),
        ("woman", ("woman", "")),
        ("  Woman. ", ("woman", "")),
        ("F", ("woman", "")),
        ("Male", ("man", "")),
        ("m", ("man", "")),
        ("Cisgender man", ("man", "")),
        ("Non-binary", ("non_binary", "")),
        ("non‐binary", ("non_binary", "")),  # a Unicode hyphen
        ("nonbinary", ("non_binary", "")),
        ("Enby", ("non_binary", "")),
        ("Prefer not to say", ("prefer_not", "")),
        ("Genderqueer", ("self_describe", "Genderqueer")),
        ("Two-spirit ", ("self_describe", "Two-spirit")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_the_migration_maps_free_text_to_the_short_list(stored, mapped):
    assert migration.gender_code(stored) == mapped


def test_the_migration_rewrites_stored_values_and_keeps_unrecognised_words():
    cohort = make_cohort()
    rows = {
        "Female": person(cohort, "Ana", demographics_consent=True, gender="Female"),
        "F": person(cohort, "Bea", demographics_consent=True, gender="F"),
        "male": person(cohort, "Cy", demographics_consent=True, gender="male"),
        "Genderqueer": person(cohort, "Dee", demographics_consent=True, gender="Genderqueer"),
        "": person(cohort, "Eve"),
    }
    migration.forwards(django_apps, None)
    stored = {
        text: Participant.objects.values_list("gender", "gender_self_description").get(pk=p.pk)
        for text, p in rows.items()
    }
    assert stored == {
        "Female": ("woman", ""),
        "F": ("woman", ""),
        "male": ("man", ""),
        "Genderqueer": ("self_describe", "Genderqueer"),
        "": ("", ""),
    }
    migration.backwards(django_apps, None)
    assert Participant.objects.get(pk=rows["Female"].pk).gender == "Woman"
    assert Participant.objects.get(pk=rows["Genderqueer"].pk).gender == "Genderqueer"


# --- the form --------------------------------------------------------------------------------
def form(participant, **data) -> ParticipantProfileForm:
    return ParticipantProfileForm(
        {"time_zone": "UTC", "demographics_consent": "on", **data}, participant=participant
    )


def test_the_form_offers_the_short_list_and_says_what_counts_for_pairing():
    participant = person(make_cohort(), "Ana")
    field = ParticipantProfileForm(participant=participant).fields["gender"]
    assert [label for _, label in field.choices] == [
        "Woman",
        "Man",
        "Non-binary",
        "Self-describe",
        "Prefer not to say",
    ]
    assert "Self-describe and Prefer not to say count as not given" in field.help_text


def test_self_describing_needs_words_and_words_need_self_describe():
    participant = person(make_cohort(), "Ana")
    missing = form(participant, gender=G.SELF_DESCRIBE)
    assert not missing.is_valid()
    assert "Write how you describe your gender" in missing.errors["gender_self_description"][0]
    clash = form(participant, gender=G.WOMAN, gender_self_description="Genderfluid")
    assert not clash.is_valid()
    assert "Choose “Self-describe”" in clash.errors["gender_self_description"][0]
    words_only = form(participant, gender_self_description=" Genderfluid ")
    assert words_only.is_valid(), words_only.errors
    assert words_only.cleaned_data["gender"] == G.SELF_DESCRIBE
    assert words_only.cleaned_data["gender_self_description"] == "Genderfluid"


def test_prefer_not_to_say_needs_no_consent_but_any_answer_does():
    participant = person(make_cohort(), "Ana")
    quiet = ParticipantProfileForm(
        {"time_zone": "UTC", "gender": G.PREFER_NOT}, participant=participant
    )
    assert quiet.is_valid(), quiet.errors
    shared = ParticipantProfileForm(
        {"time_zone": "UTC", "gender": G.SELF_DESCRIBE, "gender_self_description": "Agender"},
        participant=participant,
    )
    assert not shared.is_valid()
    assert "Tick this box" in shared.errors["demographics_consent"][0]


def test_the_profile_page_saves_a_self_description_and_shows_it_back_to_its_owner():
    cohort = make_cohort()
    ana = person(cohort, "Ana")
    client = Client()
    client.force_login(ana.user)
    url = reverse("programmes:profile", kwargs={"participant_id": ana.pk})
    data = {
        "time_zone": "Europe/Lisbon",
        "demographics_consent": "on",
        "gender": G.SELF_DESCRIBE,
        "gender_self_description": "Genderfluid",
        "birth_year": 1990,
    }
    assert client.post(url, data).status_code == 302
    ana.refresh_from_db()
    assert (ana.gender, ana.gender_self_description) == ("self_describe", "Genderfluid")
    page = client.get(url).content.decode()
    assert 'value="Genderfluid"' in page
    assert re.search(r'<input[^>]*name="gender"[^>]*value="self_describe"[^>]*checked', page)


# --- what the engine compares ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "second", "bonus"),
    [
        (G.WOMAN, G.MAN, 3),
        (G.WOMAN, G.NON_BINARY, 3),
        (G.WOMAN, G.WOMAN, 0),
        (G.SELF_DESCRIBE, G.MAN, 0),
        (G.PREFER_NOT, G.WOMAN, 0),
        ("", G.MAN, 0),
    ],
)
def test_the_cross_gender_bonus_compares_the_codes_only(first, second, bonus):
    cohort = make_cohort(skill_weight=10, cross_gender_weight=3)
    words = {G.SELF_DESCRIBE: "Genderfluid"}
    a = person(
        cohort,
        "Ana",
        demographics_consent=bool(first),
        gender=first,
        gender_self_description=words.get(first, ""),
    )
    b = person(cohort, "Ben", demographics_consent=True, gender=second)
    pair = pair_propose(cohort=cohort, participants=[a, b], by=cohort.admin)
    assert pair.demographic_bonus == bonus
    candidates = candidates_build(cohort=cohort, participants=[a, b])
    compared = first if first in Participant.COMPARED_GENDERS else None
    assert candidates[a.pk].gender == compared


# --- consent -----------------------------------------------------------------------------------
def test_the_database_refuses_words_without_consent_or_without_self_describe():
    cohort = make_cohort()
    ana = person(cohort, "Ana")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=ana.pk).update(gender_self_description="Agender")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=ana.pk).update(
            demographics_consent=True, gender=G.WOMAN, gender_self_description="Agender"
        )


def test_erasing_takes_the_words_too():
    ana = ParticipantFactory(
        demographics_consent=True,
        gender=G.SELF_DESCRIBE,
        gender_self_description="Genderfluid",
        birth_year=1990,
    )
    participant_demographics_erase(participant=ana)
    ana.refresh_from_db()
    assert (ana.demographics_consent, ana.gender, ana.gender_self_description) == (False, "", "")


def test_unticking_consent_on_the_profile_erases_the_words():
    cohort = make_cohort()
    ana = person(
        cohort,
        "Ana",
        demographics_consent=True,
        gender=G.SELF_DESCRIBE,
        gender_self_description="Genderfluid",
    )
    client = Client()
    client.force_login(ana.user)
    url = reverse("programmes:profile", kwargs={"participant_id": ana.pk})
    assert client.post(url, {"time_zone": "UTC"}).status_code == 302
    ana.refresh_from_db()
    assert (ana.demographics_consent, ana.gender, ana.gender_self_description) == (False, "", "")


def test_a_self_description_reaches_neither_the_partner_nor_the_admins():
    cohort = make_cohort()
    ana = person(
        cohort,
        "Ana",
        demographics_consent=True,
        gender=G.SELF_DESCRIBE,
        gender_self_description="Starlit-agender",
    )
    ben = person(cohort, "Ben")
    chloe = person(cohort, "Chloe")
    dev = person(
        cohort,
        "Dev",
        demographics_consent=True,
        gender=G.SELF_DESCRIBE,
        gender_self_description="Starlit-neutrois",
    )
    pair = make_pair(ana, ben, status=Pair.Status.ACTIVE)
    make_pair(chloe, dev, status=Pair.Status.PROPOSED, published_at=None)
    partner = Client()
    partner.force_login(ben.user)
    assert "Starlit" not in partner.get(pair.get_absolute_url()).content.decode()
    admin = Client()
    admin.force_login(cohort.admin)
    for page in (
        reverse("programmes:cohort_detail", kwargs={"cohort_id": cohort.pk}),
        reverse("programmes:cohort_export", kwargs={"cohort_id": cohort.pk}),
        reverse("pairing:cohort_pairs", kwargs={"cohort_id": cohort.pk}),
    ):
        response = admin.get(page)
        assert response.status_code == 200, page
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Dev" in body and b"Starlit" not in body, page
