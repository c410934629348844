"""Who may reach what, at the level of the whole site: the navbar and the MFA policy.

Both depend on programme roles and participations, which programmes owns, so they live
here rather than in ``mentoring`` (imports run downward only). Object-level access lives
in each app's ``permissions.py``.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q

from mentoring.models import User

from .models import Participant, ProgrammeRole


@dataclass(frozen=True)
class Navigation:
    """What the navbar may show. Computed once per request, lazily."""

    is_programme_admin: bool = False
    is_hr_viewer: bool = False
    is_participant: bool = False
    is_superuser: bool = False


def user_has_staff_role(user: User) -> bool:
    """True for Django-admin staff and superusers, and for anyone who administers or
    reads HR data for at least one programme: the people the MFA policy covers.

    ``is_staff`` opens the Django admin, which reaches every programme's rows, so it
    counts at least as much as a programme role does.
    """
    if user.is_staff or user.is_superuser:
        return True
    return ProgrammeRole.objects.filter(user=user).exists()


def navigation_for(user: User | AnonymousUser) -> Navigation:
    """What the navbar shows ``user`` (it is on every page: three short queries at most).

    The permission to create a programme is read as ``ModelBackend`` reads it, the only
    permission source in ``AUTHENTICATION_BACKENDS`` (allauth's backend is one): the
    user's own permissions and their groups', for an active user. One ``EXISTS`` instead
    of ``user.has_perm``, which loads every permission the user holds in two queries.
    """
    if not user.is_authenticated:
        return Navigation()
    roles = set(ProgrammeRole.objects.filter(user=user).values_list("role", flat=True).distinct())
    return Navigation(
        # Someone given the create permission sees "Programmes" before their first one exists.
        is_programme_admin=ProgrammeRole.Role.ADMIN in roles
        or user.is_superuser
        or _may_create_programme(user),
        is_hr_viewer=ProgrammeRole.Role.HR in roles,
        is_participant=Participant.objects.filter(user=user).exists(),
        is_superuser=user.is_superuser,
    )


def _may_create_programme(user: User) -> bool:
    """``user.has_perm("programmes.add_programme")`` for a user who is not a superuser."""
    return (
        user.is_active
        and Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            content_type__app_label="programmes",
            codename="add_programme",
        ).exists()
    )
