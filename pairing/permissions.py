"""The one place that decides who may reach a pair.

Members see their own pair's workspace; admins of the pair's programme see its
dates, counts and flags (never notes or reflection text); everyone else gets 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import User
from programmes.models import Participant
from programmes.permissions import programmes_for_admin

from .models import Pair


def pairs_for_member(*, user: User) -> QuerySet[Pair]:
    if not user.is_authenticated:
        return Pair.objects.none()
    return Pair.objects.filter(members__participant__user=user).distinct()


def pair_get_for_member(*, user: User, pair_id: int) -> tuple[Pair, Participant]:
    """The pair and the viewer's own seat in it. Non-members (superusers too) get 404.

    Only published or later pairs are visible to members: a proposal is the admin's draft.
    """
    pair = (
        Pair.objects.filter(pk=pair_id)
        .exclude(status=Pair.Status.PROPOSED)
        .select_related("cohort__programme")
        .first()
    )
    if pair is None or not user.is_authenticated:
        raise Http404("No such pair.")
    me = Participant.objects.filter(pair_memberships__pair=pair, user=user).first()
    if me is None:
        raise Http404("No such pair.")
    return pair, me


def pair_get_for_admin(*, user: User, pair_id: int) -> Pair:
    try:
        return Pair.objects.select_related("cohort__programme").get(
            pk=pair_id, cohort__programme__in=programmes_for_admin(user=user)
        )
    except Pair.DoesNotExist:
        raise Http404("No such pair.") from None
