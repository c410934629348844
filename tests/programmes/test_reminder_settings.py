"""A programme admin's reminder settings page: defaults shown, timing validated, a kind
switched off, and the setting in force for the planner (``registry.timing_for``)."""

import pytest
from django.urls import reverse

from mentoring.notifications.registry import timing_for
from programmes.forms.reminders import offsets_parse, offsets_text
from programmes.models import AuditEvent
from programmes.reminder_models import ReminderSetting
from programmes.services.reminders import reminder_kinds_timed

pytestmark = pytest.mark.django_db


def _post(world, **changes):
    """The form as the page shows it (every kind on with its defaults), with ``changes``."""
    data = {}
    for kind in reminder_kinds_timed():
        data[f"enabled_{kind.code}"] = "on"
        if kind.default_offsets:
            data[f"offsets_{kind.code}"] = offsets_text(kind.default_offsets)
    data.update(changes)
    url = reverse("programmes:reminder_settings", kwargs={"slug": world.programme.slug})
    return world.client_for("admin").post(url, {k: v for k, v in data.items() if v is not None})


def test_the_page_shows_every_kind_with_its_default_timing(world):
    url = reverse("programmes:reminder_settings", kwargs={"slug": world.programme.slug})
    text = world.client_for("admin").get(url).content.decode()
    assert "Upcoming session reminders" in text
    assert 'value="24h, 1h"' in text
    assert "Default: 24h, 1h." in text


def test_saving_the_defaults_stores_nothing(world):
    assert _post(world).status_code == 302
    assert not ReminderSetting.objects.exists()
    assert timing_for(world.programme.pk, "session_upcoming") == (True, (24, 1))


def test_a_new_timing_and_a_kind_switched_off_are_in_force_and_audited(world):
    response = _post(world, offsets_session_upcoming="2d, 2h")
    assert response.status_code == 302
    assert timing_for(world.programme.pk, "session_upcoming") == (True, (48, 2))
    _post(world, enabled_session_upcoming=None, offsets_session_upcoming="2d, 2h")
    assert timing_for(world.programme.pk, "session_upcoming") == (False, (48, 2))
    assert (
        AuditEvent.objects.filter(programme=world.programme, action="reminders.updated").count()
        == 2
    )
    # Another programme keeps the defaults.
    assert timing_for(world.other_programme.pk, "session_upcoming") == (True, (24, 1))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("tomorrow", "is not a timing"),
        ("721h", "between 0 hours and 30 days"),
        ("31d", "between 0 hours and 30 days"),
        ("24h, 24", "appears twice"),
        ("", "at least one timing"),
        ("1h, 2h, 3h, 4h, 5h", "At most 4"),
    ],
)
def test_a_wrong_timing_is_refused_in_plain_words(world, text, error):
    response = _post(world, offsets_session_upcoming=text)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ReminderSetting.objects.exists()


def test_offsets_read_and_write_hours_and_days():
    assert offsets_parse("24h, 1") == [24, 1]
    assert offsets_parse("3d, 7d") == [72, 168]
    assert offsets_text([72, 168]) == "3d, 7d"
    assert offsets_text([24, 1]) == "24h, 1h"
