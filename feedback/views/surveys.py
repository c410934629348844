"""A participant's survey at a wave of their programme (baseline, midpoint, end).

Only the participant reaches it (``participation_get_for_user``: 404 for anyone else,
admins and HR included). The form is editable until the wave closes; the free-text answer
is shown back to its author only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from feedback.forms.outcomes import SurveyForm
from feedback.models import Survey
from feedback.selectors.outcomes import response_of, survey_get_for_participant
from feedback.services.outcomes import RESPONDENT_STATUSES, survey_response_save
from mentoring.forms import apply_service_errors
from programmes.permissions import participation_get_for_user


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, participant_id: int, wave: str) -> HttpResponse:
    me = participation_get_for_user(user=request.user, participant_id=participant_id)
    if wave not in Survey.Wave.values:
        raise Http404("No such survey.")
    survey = survey_get_for_participant(participant=me, wave=wave)
    if survey is None or me.status not in RESPONDENT_STATUSES:
        raise Http404("No such survey.")
    now = timezone.now()
    mine = response_of(survey=survey, participant=me)
    is_open = survey.opens_at <= now < survey.closes_at
    initial = model_to_dict(mine, fields=SurveyForm.base_fields) if mine else {}
    form = SurveyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey_response_save(survey=survey, participant=me, now=now, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Thank you: your answers are saved. You can change them until "
                f"{timezone.localtime(survey.closes_at):%-d %b %Y}.",
            )
            return redirect("programmes:my_programme")
    context = {
        "me": me,
        "programme": me.cohort.programme,
        "survey": survey,
        "form": form,
        "existing": mine,
        "is_open": is_open,
        "now": now,
    }
    return render(request, "feedback/outcomes/survey_form.html", context)
