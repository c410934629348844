"""Who may read a programme's dashboard: its HR viewers and admins, and superusers.

Everyone else gets 404 (the programme's existence is not revealed); being a participant
of the programme gives no access.
"""

from django.db.models import QuerySet
from django.http import Http404

from mentoring.models import User
from programmes.models import Cohort, Programme
from programmes.permissions import programmes_for_hr


def dashboard_programmes(*, user: User) -> QuerySet[Programme]:
    return programmes_for_hr(user=user)


def programme_get_for_dashboard(*, user: User, slug: str) -> Programme:
    try:
        return dashboard_programmes(user=user).get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None


def cohorts_for_dashboard(*, programme: Programme) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme=programme).order_by("starts_on", "name")
