"""One participant, as their programme's admin sees them: correct the profile fields the
admin owns, move them to another cohort, withdraw them, resend the invitation.

The page (GET) holds the four actions; each form posts to its own URL and, when refused,
the page is drawn again with that form's errors next to its fields.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from programmes.forms.cohorts import (
    ParticipantDetailsForm,
    ParticipantMoveForm,
    ParticipantWithdrawForm,
)
from programmes.models import Participant
from programmes.permissions import participant_get_for_admin
from programmes.selectors import field_label, participant_history
from programmes.services.participant_corrections import (
    participant_move,
    participant_move_refusal,
    participant_update_details,
)
from programmes.services.participants import participant_withdraw


def _page(request: HttpRequest, participant: Participant, **forms) -> HttpResponse:
    context = {
        "participant": participant,
        "cohort": participant.cohort,
        "programme": participant.cohort.programme,
        "details_form": forms.get("details_form")
        or ParticipantDetailsForm(participant=participant),
        "move_form": forms.get("move_form") or ParticipantMoveForm(participant=participant),
        "withdraw_form": forms.get("withdraw_form") or ParticipantWithdrawForm(),
        "move_refusal": participant_move_refusal(participant),
        "history": participant_history(participant=participant),
    }
    return render(request, "programmes/participant_manage.html", context)


@login_required
@require_GET
def participant_manage(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participant_get_for_admin(user=request.user, participant_id=participant_id)
    return _page(request, participant)


@login_required
@require_POST
def participant_edit(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participant_get_for_admin(user=request.user, participant_id=participant_id)
    form = ParticipantDetailsForm(request.POST, participant=participant)
    if form.is_valid():
        try:
            changed = participant_update_details(
                participant=participant,
                by=request.user,
                base_url=site_base_url(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:  # a RuleViolation, or the model's own checks
            apply_service_errors(form, exc)
        else:
            if changed:
                labels = ", ".join(field_label(name) for name in changed)
                messages.success(request, f"Saved: {labels}.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("programmes:participant_manage", participant_id=participant.pk)
    return _page(request, participant, details_form=form)


@login_required
@require_POST
def participant_move_view(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participant_get_for_admin(user=request.user, participant_id=participant_id)
    form = ParticipantMoveForm(request.POST, participant=participant)
    if form.is_valid():
        try:
            moved = participant_move(
                participant=participant, to_cohort=form.cleaned_data["cohort"], by=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{moved.display_name} is now in {moved.cohort.name}.")
            return redirect("programmes:participant_manage", participant_id=participant.pk)
    return _page(request, participant, move_form=form)


@login_required
@require_POST
def participant_withdraw_admin(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participant_get_for_admin(user=request.user, participant_id=participant_id)
    form = ParticipantWithdrawForm(request.POST)
    if form.is_valid():
        try:
            participant_withdraw(
                participant=participant, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{participant.display_name} is withdrawn.")
            return redirect("programmes:participant_manage", participant_id=participant.pk)
    return _page(request, participant, withdraw_form=form)
