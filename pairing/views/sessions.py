"""Sessions of a pair: schedule, reschedule, cancel, log (and edit the log), log a meeting
that already happened, private notes.

Members of the pair only: every view fetches through ``pairing.permissions`` (404 for
anyone else, admins, HR and superusers included). The session's own page and the list
are feedback's (``feedback.views.pair_page``: they show reflections); these views send
the member back to them with ``redirect(session)`` / ``redirect(pair)``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mentoring.forms import apply_service_errors
from pairing.alternation import planned_mentor_sides
from pairing.forms.workspace import (
    DATETIME_INPUT,
    PrivateNoteForm,
    SessionCancelForm,
    SessionLogForm,
    SessionLogPastForm,
    SessionScheduleForm,
)
from pairing.models import MentoringSession, Pair, SessionRole
from pairing.permissions import (
    LOG_EDIT_DAYS,
    log_editable_until,
    log_is_editable,
    pair_get_for_member,
    private_note_of,
    session_get_for_member,
    session_may_move,
)
from pairing.selectors.sides import first_mentor_side, pair_sides
from pairing.selectors.slots import SlotPerson, slot_people
from pairing.services.sessions import (
    PAST_START_CODE,
    private_note_save,
    session_cancel,
    session_log,
    session_log_past,
    session_reschedule,
    session_schedule,
)
from programmes.models import Participant, Programme

MovingView = Callable[[HttpRequest, MentoringSession, Pair, Participant], HttpResponse]


def _slot_context(pair: Pair, form: SessionScheduleForm, people: list[SlotPerson]) -> dict:
    """What the schedule form shows of the slot: each person's local time (server-side),
    and the same people for ``static/js/session-slot.js`` (``json_script``)."""
    return {
        "pair": pair,
        "form": form,
        "slot_preview": form.preview_text(),
        "slot_out_of_hours": form.out_of_hours(),
        "slot_people": [person.as_json() for person in people],
    }


def _log_past_url(pair: Pair, typed: dict | None = None) -> str:
    """The "log a session that already happened" link; with ``typed`` (the schedule form's
    cleaned data) it carries the date and length the member chose."""
    url = reverse("pairing:session_log_past", kwargs={"pair_id": pair.pk})
    if not typed:
        return url
    start = timezone.localtime(typed["scheduled_start"])
    query = {"start": start.strftime(DATETIME_INPUT), "minutes": typed["planned_minutes"]}
    return f"{url}?{urlencode(query)}"


def _schedule_initial(request: HttpRequest) -> dict:
    """A time proposed by a link (``?start=…&minutes=…``, the inactivity reminder's "propose
    a time"), read in the viewer's own zone; a bad value leaves the field empty."""
    initial: dict = {}
    start = request.GET.get("start", "")
    try:
        if start:
            initial["scheduled_start"] = SessionScheduleForm.base_fields["scheduled_start"].clean(
                start
            )
    except ValidationError:
        pass
    minutes = request.GET.get("minutes", "")
    if minutes.isdigit() and 5 <= int(minutes) <= 480:
        initial["planned_minutes"] = int(minutes)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def session_schedule_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    if pair.status not in Pair.LIVE_STATUSES:
        messages.error(request, "This pair has ended: no more sessions can be scheduled.")
        return redirect(pair)
    people = slot_people(pair=pair, me=me)
    form = SessionScheduleForm(
        request.POST or None, people=people, initial=_schedule_initial(request)
    )
    typed, past_start = None, False
    if request.method == "POST" and form.is_valid():
        typed = form.service_kwargs()
        try:
            session = session_schedule(pair=pair, by=me, **typed)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            past_start = form.has_error("scheduled_start", code=PAST_START_CODE)
        else:
            messages.success(request, "Session scheduled. Add it to your calendar below.")
            return redirect(session)
    context = _slot_context(pair, form, people)
    context["past_start"] = past_start
    context["log_past_url"] = _log_past_url(pair, typed if past_start else None)
    return render(request, "pairing/session_form.html", context)


def _session_still_movable(done: str) -> Callable[[MovingView], Callable[..., HttpResponse]]:
    """Reschedule and cancel (GET: the form; POST: do it): the one guard of both.

    A member's session that is still scheduled, in a live pair; anything else goes back
    to the session page saying why ("Only a scheduled session of a live pair can be
    <done>."). The view is called with the session, its pair and the member's seat.
    """

    def decorate(view: MovingView) -> Callable[..., HttpResponse]:
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def guarded(request: HttpRequest, session_id: int) -> HttpResponse:
            session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
            if not session_may_move(session=session, pair=pair):
                messages.error(request, f"Only a scheduled session of a live pair can be {done}.")
                return redirect(session)
            return view(request, session, pair, me)

        return guarded

    return decorate


@login_required
@_session_still_movable("rescheduled")
def session_reschedule_view(
    request: HttpRequest, session: MentoringSession, pair: Pair, me: Participant
) -> HttpResponse:
    initial = {
        "scheduled_start": timezone.localtime(session.scheduled_start),
        "planned_minutes": session.planned_minutes,
        "place": session.place,
    }
    people = slot_people(pair=pair, me=me)
    form = SessionScheduleForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            session_reschedule(session=session, by=me, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Session moved. Your calendar feed updates by itself.")
            return redirect(session)
    context = _slot_context(pair, form, people)
    context["session"] = session
    return render(request, "pairing/session_form.html", context)


@login_required
@_session_still_movable("cancelled")
def session_cancel_view(
    request: HttpRequest, session: MentoringSession, pair: Pair, me: Participant
) -> HttpResponse:
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_cancel(session=session, by=me, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Session cancelled. It does not count as a turn.")
            return redirect(pair)
    return render(
        request, "pairing/session_cancel.html", {"pair": pair, "session": session, "form": form}
    )


def _initial_roles(session: MentoringSession, sides, mode: str) -> dict[int, str]:
    """Roles to pre-fill: what was logged, else the plan (split: both; fluid: none)."""
    logged = {p.participant_id: p.role for p in session.participations.all()}
    if logged:
        return logged
    if mode == Programme.Alternation.SPLIT:
        return {p.pk: SessionRole.BOTH for p in sides}
    if mode == Programme.Alternation.ALTERNATE and session.planned_mentor_id:
        return {
            p.pk: SessionRole.MENTOR if p.pk == session.planned_mentor_id else SessionRole.MENTEE
            for p in sides
        }
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def session_log_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """Log what happened, or edit the log within 14 days; read-only after that."""
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    mode = pair.cohort.programme.alternation
    sides = pair_sides(pair=pair)
    editable = log_is_editable(session) and pair.status in Pair.LIVE_STATUSES
    context = {
        "pair": pair,
        "session": session,
        "sides": sides,
        "editable": editable,
        "edit_days": LOG_EDIT_DAYS,
        "editable_until": log_editable_until(session),
        "mode": mode,
    }
    if not editable:
        return render(request, "pairing/session_log.html", context)
    note = private_note_of(session=session, me=me)
    initial = {
        "status": session.status
        if session.status != MentoringSession.Status.SCHEDULED
        else MentoringSession.Status.HELD,
        "actual_minutes": session.actual_minutes or session.planned_minutes,
        "topics": session.topics,
        "shared_notes": session.shared_notes,
        "cancel_reason": session.cancel_reason,
        "private_note": note.text if note else "",
    }
    form = SessionLogForm(
        request.POST or None,
        initial=initial,
        sides=sides,
        mode=mode,
        initial_roles=_initial_roles(session, sides, mode),
        initial_leads={k: int(v) for k, v in session.topic_leads.items()},
    )
    if request.method == "POST" and form.is_valid():
        first_log = session.logged_at is None
        try:
            session = session_log(session=session, by=me, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if session.status == MentoringSession.Status.HELD:
                messages.success(
                    request,
                    "Session logged. Take two minutes to reflect while it is fresh."
                    if first_log
                    else "Log updated; the earlier version is kept in its history.",
                )
                return redirect("feedback:reflection", session_id=session.pk)
            messages.success(request, "Session logged. It does not count as a turn.")
            return redirect(pair)
    context["form"] = form
    return render(request, "pairing/session_log.html", context)


def _roles_now(pair: Pair, sides: list[Participant], mode: str) -> dict[int, str]:
    """Roles to pre-fill for a meeting logged after the fact: whose turn it is now."""
    if mode == Programme.Alternation.SPLIT:
        return {p.pk: SessionRole.BOTH for p in sides}
    if mode != Programme.Alternation.ALTERNATE or not sides:
        return {}
    held = pair.sessions.filter(status=MentoringSession.Status.HELD).count()
    (mentor_side,) = planned_mentor_sides(
        mode=mode,
        first_mentor_side=first_mentor_side(pair=pair, sides=sides),
        held=held,
        upcoming=1,
        sides=len(sides),
    )
    return {
        p.pk: SessionRole.MENTOR if i == mentor_side else SessionRole.MENTEE
        for i, p in enumerate(sides)
    }


def _past_initial(request: HttpRequest) -> dict:
    """The date and length the schedule form carried over (``?start=…&minutes=…``)."""
    initial: dict = {"actual_minutes": 60}
    start = request.GET.get("start", "")
    field = SessionLogPastForm.base_fields["scheduled_start"]
    try:
        initial["scheduled_start"] = field.clean(start) if start else None
    except ValidationError:
        pass  # a hand-edited address: the member types the time
    minutes = request.GET.get("minutes", "")
    if minutes.isdigit() and 1 <= int(minutes) <= 600:
        initial["actual_minutes"] = int(minutes)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def session_log_past_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Log a meeting that already happened: the log form with a date, creating the session
    as held (``session_log_past``), then on to the reflection as after any log."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    if pair.status not in Pair.LIVE_STATUSES:
        messages.error(request, "This pair has ended: no more sessions can be logged.")
        return redirect(pair)
    mode = pair.cohort.programme.alternation
    sides = pair_sides(pair=pair)
    form = SessionLogPastForm(
        request.POST or None,
        initial=_past_initial(request),
        sides=sides,
        mode=mode,
        initial_roles=_roles_now(pair, sides, mode),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = session_log_past(pair=pair, by=me, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, "Session logged. Take two minutes to reflect while it is fresh."
            )
            return redirect("feedback:reflection", session_id=session.pk)
    context = {"pair": pair, "form": form, "mode": mode, "sides": sides}
    return render(request, "pairing/session_log_past.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_private_note(request: HttpRequest, session_id: int) -> HttpResponse:
    """The viewer's own private note on a session (each member may keep one)."""
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    note = private_note_of(session=session, me=me)
    form = PrivateNoteForm(request.POST or None, initial={"text": note.text if note else ""})
    if request.method == "POST" and form.is_valid():
        saved = private_note_save(session=session, author=me, text=form.cleaned_data["text"])
        messages.success(
            request,
            "Private note saved. Only you can see it." if saved else "Private note removed.",
        )
        return redirect(session)
    return render(
        request, "pairing/private_note.html", {"pair": pair, "session": session, "form": form}
    )
