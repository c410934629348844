"""The participant's journey: invitation → charter → profile → "My programme" (→ withdraw)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from programmes.forms.participation import (
    CharterForm,
    DemographicsEraseForm,
    ParticipantProfileForm,
    WithdrawForm,
)
from programmes.models import Participant
from programmes.permissions import participation_get_for_user
from programmes.selectors import my_participations
from programmes.services.participants import (
    JOINABLE,
    invitation_accept,
    invitation_get_by_token,
    participant_accept_charter,
    participant_demographics_erase,
    participant_update_profile,
    participant_withdraw,
    user_owns_email,
)

PENDING_INVITATION = "pending_invitation"  # token kept in the session across sign-up


@sensitive_variables("token")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public (the token is the secret): shows the programme; a signed-in invitee joins.

    The token is looked up by its hash; ``sensitive_variables`` keeps it out of error
    reports' frame variables (the report as a whole is redacted too, see
    ``mentoring.error_reports``).
    """
    found = invitation_get_by_token(token=token)
    if found is None:
        return render(request, "programmes/invitation_invalid.html", status=404)
    programme = found.cohort.programme
    participant = found.participant
    context = {"invitation": found, "programme": programme, "cohort": found.cohort, "error": ""}
    user = request.user
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        context["next"] = request.path
        if found.accepted_at:
            context["sign_in_only"] = True
            context["error"] = "This invitation has been accepted. Sign in to continue."
        elif found.expires_at <= timezone.now():
            context["error"] = (
                "This invitation has expired. Ask the programme admin to send you a new one."
            )
        elif programme.status not in JOINABLE:
            context["error"] = "This programme is not open for enrolment."
        else:
            request.session[PENDING_INVITATION] = token
        return render(request, "programmes/invitation.html", context)

    if not user_owns_email(user=user, email=found.email):
        context["error"] = (
            "This invitation was sent to a different email address than the one you are "
            "signed in with. Sign out, then sign in or create an account with the invited "
            "address."
        )
        context["wrong_account"] = True
        return render(request, "programmes/invitation.html", context, status=403)
    if found.accepted_at and participant.user_id == user.pk:
        request.session.pop(PENDING_INVITATION, None)
        return redirect(_next_step(participant))
    if request.method == "POST":
        try:
            participant = invitation_accept(invitation=found, user=user)
        except RuleViolation as exc:
            context["error"] = " ".join(exc.messages)
        else:
            request.session.pop(PENDING_INVITATION, None)
            messages.success(request, f"Welcome to {programme.name}!")
            return redirect(_next_step(participant))
    elif not found.is_usable:
        context["error"] = (
            "This invitation has already been used."
            if found.accepted_at
            else "This invitation has expired. Ask the programme admin to send you a new one."
        )
    return render(request, "programmes/invitation.html", context)


def _next_step(participant: Participant) -> str:
    if participant.status == Participant.Status.INVITED:
        name = "charter" if participant.charter_accepted_at is None else "profile"
        return reverse(f"programmes:{name}", kwargs={"participant_id": participant.pk})
    return reverse("programmes:my_programme")


@login_required
@require_GET
def my_programme(request: HttpRequest) -> HttpResponse:
    participations = my_participations(user=request.user)
    return render(request, "programmes/my_programme.html", {"participations": participations})


@login_required
def charter(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participation_get_for_user(user=request.user, participant_id=participant_id)
    form = CharterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            participant_accept_charter(participant=participant)
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("programmes:my_programme")
        if participant.status == Participant.Status.INVITED:
            return redirect("programmes:profile", participant_id=participant.pk)
        messages.success(request, "Thank you for accepting the charter.")
        return redirect("programmes:my_programme")
    context = {
        "participant": participant,
        "programme": participant.cohort.programme,
        "form": form,
        "step": 1,
    }
    return render(request, "programmes/charter.html", context)


@login_required
def profile(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participation_get_for_user(user=request.user, participant_id=participant_id)
    if participant.charter_accepted_at is None:
        messages.info(request, "Please read and accept the charter first.")
        return redirect("programmes:charter", participant_id=participant.pk)
    ended = participant.status in (Participant.Status.WITHDRAWN, Participant.Status.COMPLETED)
    # Consent can be taken back after the end too, when the profile itself is read-only.
    erase_form = None
    if ended and participant.demographics_consent:
        erase_form = DemographicsEraseForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and erase_form.is_valid():
            participant_demographics_erase(participant=participant)
            messages.success(
                request, "Your gender and birth year are erased; nothing uses them any more."
            )
            return redirect("programmes:profile", participant_id=participant.pk)
    initial = {
        "skills_offered": list(participant.skills_offered.all()),
        "skills_wanted": list(participant.skills_wanted.all()),
        "goals": participant.goals,
        "time_zone": participant.time_zone
        if participant.time_zone != "UTC"
        else request.user.time_zone,
        "demographics_consent": participant.demographics_consent,
        "gender": participant.gender,
        "gender_self_description": participant.gender_self_description,
        "birth_year": participant.birth_year,
    }
    form = ParticipantProfileForm(
        request.POST if request.method == "POST" else None, participant=participant, initial=initial
    )
    if request.method == "POST" and not ended and form.is_valid():
        first_time = participant.status == Participant.Status.INVITED
        try:
            participant_update_profile(participant=participant, **form.cleaned_data)
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "You are enrolled. Here is what happens next."
                if first_time
                else "Your profile was saved.",
            )
            return redirect("programmes:my_programme")
    context = {
        "participant": participant,
        "programme": participant.cohort.programme,
        "form": form,
        "erase_form": erase_form,
        "ended": ended,
        "step": 2,
    }
    return render(request, "programmes/profile.html", context)


@login_required
def withdraw(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = participation_get_for_user(user=request.user, participant_id=participant_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            participant_withdraw(participant=participant, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"You have withdrawn from {participant.cohort.programme.name}."
            )
        return redirect("programmes:my_programme")
    context = {"participant": participant, "programme": participant.cohort.programme, "form": form}
    return render(request, "programmes/withdraw.html", context)
