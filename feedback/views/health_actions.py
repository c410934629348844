"""What a programme admin does about a pair from its health page: leave a note, snooze a
flag, send a nudge, end the pair on the members' behalf. Admins of the pair's programme
only (``pair_get_for_admin``: 404 for anyone else); every action is audited by its service.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from feedback.forms.health_actions import (
    AdminNoteForm,
    EndOnBehalfForm,
    FlagSnoozeForm,
    NudgeForm,
)
from feedback.selectors.health_actions import pair_history_lines
from feedback.selectors.metrics import FLAGS, pair_health_detail
from feedback.selectors.nudges import nudge_draft
from feedback.services.nudges import nudge_token_issue, pair_nudge_send
from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from pairing.models import FlagSnooze, Pair
from pairing.permissions import pair_get_for_admin
from pairing.selectors.pair_admin import admin_notes_for
from pairing.selectors.sides import seats
from pairing.services.pair_admin import (
    admin_note_add,
    flag_snooze,
    flag_unsnooze,
    pair_end_on_behalf,
)


def _raised(detail: dict[str, Any]) -> list[str]:
    return [key for key, *_ in detail["flags"]] + [key for key, *_ in detail["snoozed_flags"]]


def pair_health_detail_render(
    request: HttpRequest,
    pair: Pair,
    *,
    note_form: AdminNoteForm | None = None,
    snooze_form: FlagSnoozeForm | None = None,
) -> HttpResponse:
    """The pair-health page with its actions (bound forms when a POST was refused)."""
    detail = pair_health_detail(pair=pair, now=timezone.now())
    context = {
        "pair": pair,
        "programme": pair.cohort.programme,
        **detail,
        "live": pair.status in Pair.LIVE_STATUSES,
        "note_form": note_form or AdminNoteForm(),
        "snooze_form": snooze_form or FlagSnoozeForm(flags=_raised(detail)),
        "notes": admin_notes_for(pair=pair),
        "history": pair_history_lines(pair=pair),
    }
    return render(request, "feedback/health/pair_detail.html", context)


def _detail_url(pair: Pair, anchor: str) -> str:
    return reverse("feedback:pair_health_detail", kwargs={"pair_id": pair.pk}) + anchor


@login_required
@require_POST
def pair_health_note_add(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    form = AdminNoteForm(request.POST)
    if form.is_valid():
        try:
            admin_note_add(pair=pair, by=request.user, text=form.cleaned_data["text"])
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Note saved: only this programme's admins can read it.")
            return redirect(_detail_url(pair, "#admin-notes"))
    return pair_health_detail_render(request, pair, note_form=form)


@login_required
@require_POST
def pair_health_snooze(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    detail = pair_health_detail(pair=pair, now=timezone.now())
    form = FlagSnoozeForm(request.POST, flags=_raised(detail))
    if form.is_valid() and "until" in form.cleaned_data:
        data = form.cleaned_data
        try:
            snooze = flag_snooze(
                pair=pair, by=request.user, flag=data["flag"], until=data["until"],
                reason=data["reason"],
            )  # fmt: skip
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            until = date_format(timezone.localtime(snooze.until), "D j M Y, H:i")
            messages.success(
                request,
                f"“{FLAGS[snooze.flag][0]}” is snoozed until {until}: the pair does not count "
                "for it on the attention pages until then.",
            )
            return redirect(_detail_url(pair, "#pair-flags"))
    return pair_health_detail_render(request, pair, snooze_form=form)


@login_required
@require_POST
def pair_health_unsnooze(request: HttpRequest, pair_id: int, snooze_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    snooze = FlagSnooze.objects.filter(pk=snooze_id, pair=pair).first()
    if snooze is None:
        raise Http404("No such snooze.")
    if flag_unsnooze(snooze=snooze, by=request.user):
        messages.success(request, f"“{FLAGS.get(snooze.flag, (snooze.flag,))[0]}” counts again.")
    else:
        messages.info(request, "That snooze had already ended.")
    return redirect(_detail_url(pair, "#pair-flags"))


@login_required
@require_http_methods(["GET", "POST"])
def pair_health_nudge(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Compose (a draft for the flag in ``?flag=``), preview, then send the nudge.

    The POST's ``step`` says which: "preview" shows the message as the members will read
    it, "edit" goes back to the form, "send" sends it once.
    """
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    members = [seat.participant for seat in seats(pairs=[pair.pk]) if seat.current]
    live = pair.status in Pair.LIVE_STATUSES
    pair_link = site_base_url(request) + pair.get_absolute_url()
    step = request.POST.get("step", "edit") if request.method == "POST" else "edit"
    if request.method == "POST":
        form = NudgeForm(request.POST)
    else:
        flag = request.GET.get("flag")
        draft = nudge_draft(pair=pair, members=members, by=request.user, flag=flag)
        form = NudgeForm(
            initial={
                "subject": draft.subject,
                "body": draft.body,
                "token": nudge_token_issue(pair=pair, by=request.user),
            }
        )
    preview = False
    if request.method == "POST" and step in ("preview", "send") and live and form.is_valid():
        if step == "preview":
            preview = True
        else:
            try:
                result = pair_nudge_send(
                    pair=pair,
                    by=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    token=form.cleaned_data["token"],
                    link=pair_link,
                )
            except RuleViolation as exc:
                apply_service_errors(form, exc)
            else:
                if result.repeated:
                    messages.info(request, "This nudge had already been sent: nothing sent again.")
                elif result.queued:
                    messages.warning(
                        request,
                        "The nudge is recorded; the mail server did not answer, so it goes out "
                        "as soon as it does.",
                    )
                else:
                    messages.success(request, "Nudge sent to the pair's members.")
                return redirect(_detail_url(pair, "#pair-history"))
    context = {
        "pair": pair,
        "programme": pair.cohort.programme,
        "members": members,
        "form": form,
        "preview": preview,
        "live": live,
        "pair_link": pair_link,
    }
    return render(request, "feedback/health/nudge.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pair_health_end(request: HttpRequest, pair_id: int) -> HttpResponse:
    """End a live pair on its members' behalf, with a reason and a confirmation."""
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    live = pair.status in Pair.LIVE_STATUSES
    form = EndOnBehalfForm(request.POST or None)
    if request.method == "POST" and live and form.is_valid():
        try:
            pair_end_on_behalf(
                pair=pair,
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=site_base_url(request),
            )
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The pair has ended. Its members have been told that the programme admin "
                "ended it (not why); each will be offered a new partner in the next pairing run.",
            )
            return redirect(_detail_url(pair, ""))
    members = [seat.participant for seat in seats(pairs=[pair.pk])]
    context = {
        "pair": pair,
        "programme": pair.cohort.programme,
        "members": members,
        "form": form,
        "live": live,
    }
    return render(request, "feedback/health/end.html", context)
