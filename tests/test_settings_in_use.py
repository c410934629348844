"""The suite must run on the test settings, whatever the caller's environment says."""

from django.conf import settings


def test_the_suite_runs_on_the_test_settings():
    assert settings.SETTINGS_MODULE == "mentoring.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
