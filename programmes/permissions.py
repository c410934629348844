"""The one place that decides who may reach a programme, cohort or participation.

Outsiders get 404 (we do not reveal that the object exists). Views never fetch these
objects any other way.
"""

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import User

from .models import (
    Application,
    Cohort,
    NominationLink,
    Participant,
    Programme,
    ProgrammeRole,
    StaffInvitation,
)


def programmes_for_admin(*, user: User) -> QuerySet[Programme]:
    """Programmes the user administers (every programme for a superuser)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(
        roles__user=user, roles__role=ProgrammeRole.Role.ADMIN
    ).distinct()


def programmes_for_hr(*, user: User) -> QuerySet[Programme]:
    """Programmes whose aggregates the user may read (HR viewers, admins, superusers)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(roles__user=user).distinct()


def user_is_programme_admin(*, user: User, programme: Programme) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or ProgrammeRole.objects.filter(
            programme=programme, user=user, role=ProgrammeRole.Role.ADMIN
        ).exists()
    )


def programme_get_for_admin(*, user: User, slug: str) -> Programme:
    try:
        return programmes_for_admin(user=user).get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None


def cohort_get_for_admin(*, user: User, cohort_id: int) -> Cohort:
    try:
        return Cohort.objects.select_related("programme").get(
            pk=cohort_id, programme__in=programmes_for_admin(user=user)
        )
    except Cohort.DoesNotExist:
        raise Http404("No such cohort.") from None


def participations_for_user(*, user: User) -> QuerySet[Participant]:
    return Participant.objects.filter(user=user).select_related("cohort__programme")


def participation_get_for_user(*, user: User, participant_id: int) -> Participant:
    """The user's own participation; anyone else's is a 404."""
    try:
        return participations_for_user(user=user).get(pk=participant_id)
    except Participant.DoesNotExist:
        raise Http404("No such participation.") from None


def user_may_create_programmes(*, user: User) -> bool:
    """Superusers, users granted ``programmes.add_programme``, and existing programme admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("programmes.add_programme"):
        return True
    return ProgrammeRole.objects.filter(user=user, role=ProgrammeRole.Role.ADMIN).exists()


def participant_get_for_admin(*, user: User, participant_id: int) -> Participant:
    """A participant of a programme the user administers (their profile, not their pair)."""
    try:
        return Participant.objects.select_related("cohort__programme", "invitation").get(
            pk=participant_id, cohort__programme__in=programmes_for_admin(user=user)
        )
    except Participant.DoesNotExist:
        raise Http404("No such participant.") from None


def programme_role_get_for_admin(*, user: User, role_id: int) -> ProgrammeRole:
    try:
        return ProgrammeRole.objects.select_related("programme", "user").get(
            pk=role_id, programme__in=programmes_for_admin(user=user)
        )
    except ProgrammeRole.DoesNotExist:
        raise Http404("No such role.") from None


def staff_invitation_get_for_admin(*, user: User, invitation_id: int) -> StaffInvitation:
    """An admin's or HR viewer's invitation to a programme the user administers."""
    try:
        return StaffInvitation.objects.select_related("programme").get(
            pk=invitation_id, programme__in=programmes_for_admin(user=user)
        )
    except StaffInvitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def application_get_for_admin(*, user: User, application_id: int) -> Application:
    """An application (self-nomination) to a programme the user administers."""
    try:
        return Application.objects.select_related("programme", "user", "cohort").get(
            pk=application_id, programme__in=programmes_for_admin(user=user)
        )
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def nomination_link_get_for_admin(*, user: User, link_id: int) -> NominationLink:
    """A sign-up link of a programme the user administers."""
    try:
        return NominationLink.objects.select_related("programme", "cohort").get(
            pk=link_id, programme__in=programmes_for_admin(user=user)
        )
    except NominationLink.DoesNotExist:
        raise Http404("No such sign-up link.") from None
