"""Writes on accounts."""

from .models import User


def user_update_profile(
    *, user: User, first_name: str, last_name: str, time_zone: str, language: str
) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.time_zone = time_zone
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "time_zone", "language"])
    return user
