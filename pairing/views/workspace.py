"""The pair's workspace: pair page, sessions, calendars. Members of the pair only.

Every view fetches through ``pairing.permissions`` / ``pairing.workspace_access``:
anyone who is not a member of the pair (admins, HR and superusers included) gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from feedback.forms.workspace import AskForm
from feedback.selectors.metrics import pair_balance
from feedback.selectors.workspace import ask_board, ledger_summary, retrospectives
from pairing.forms.workspace import (
    PrivateNoteForm,
    SessionCancelForm,
    SessionLogForm,
    SessionScheduleForm,
    apply_service_errors,
)
from pairing.models import CalendarFeed, MentoringSession, Pair, SessionRole
from pairing.permissions import pair_get_for_member
from pairing.selectors.workspace import (
    end_reason_for,
    pair_sessions_page,
    pair_sessions_queryset,
    pair_workspace,
    session_view,
    sessions_for_calendar,
)
from pairing.selectors.workspace import (
    home_card as home_card_selector,
)
from pairing.selectors.workspace import (
    my_pairs as my_pairs_selector,
)
from pairing.services.calendar import CalendarEvent, calendar_text
from pairing.services.sessions import (
    LOG_EDIT_DAYS,
    NewCalendarFeed,
    calendar_feed_create,
    calendar_feed_revoke,
    log_editable_until,
    log_is_editable,
    pair_sides,
    private_note_save,
    session_cancel,
    session_log,
    session_reschedule,
    session_schedule,
)
from pairing.workspace_access import (
    calendar_feed_get_by_token,
    private_note_of,
    session_get_for_member,
)
from programmes.models import Programme

SESSIONS_PAGE_SIZE = 20


def _pair_url(pair: Pair) -> str:
    return reverse("pairing:pair_detail", args=[pair.pk])


# --- my pairs, home --------------------------------------------------------------------------
@login_required
@require_GET
def my_pairs(request: HttpRequest) -> HttpResponse:
    """The user's pairs; with exactly one, straight to its page."""
    pairs = my_pairs_selector(user=request.user)
    if len(pairs) == 1:
        return redirect(_pair_url(pairs[0]["pair"]))
    return render(request, "pairing/my_pairs.html", {"pairs": pairs})


@login_required
@require_GET
def home_card(request: HttpRequest) -> HttpResponse:
    """The home page's "your pair" card body (htmx fragment; empty for non-participants)."""
    card = home_card_selector(user=request.user)
    return render(request, "pairing/_home_card.html", {"card": card})


# --- the pair page -------------------------------------------------------------------------
@login_required
@require_GET
def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    workspace = pair_workspace(pair=pair, me=me)
    asks = ask_board(pair=pair, sides=[s.participant for s in workspace.sides])
    can_ask = asks.enabled and asks.is_junior(me) and workspace.live
    ledger = ledger_summary(pair=pair, me=me)
    for side in workspace.sides:
        side.items_received = ledger.received_by(side.participant)
    context = {
        "pair": pair,
        "ws": workspace,
        "programme": workspace.programme,
        "ledger": ledger,
        "asks": asks,
        "ask_form": AskForm() if can_ask else None,
        "retrospectives": retrospectives(pair=pair),
        "balance": pair_balance(pair=pair, viewer=me),
        "end_reason": end_reason_for(pair=pair, viewer=me),
    }
    return render(request, "pairing/pair_detail.html", context)


@login_required
@require_GET
def session_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Every session of the pair, latest first, paginated."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    page = Paginator(pair_sessions_queryset(pair=pair), SESSIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = pair_sessions_page(pair=pair, me=me, sessions=list(page.object_list))
    return render(request, "pairing/session_list.html", {"pair": pair, "page": page, "rows": rows})


# --- sessions ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def session_schedule_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    if pair.status not in Pair.LIVE_STATUSES:
        messages.error(request, "This pair has ended: no more sessions can be scheduled.")
        return redirect(_pair_url(pair))
    form = SessionScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = session_schedule(pair=pair, by=me, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if session.scheduled_start <= timezone.now():
                messages.info(request, "That time has passed: now log what happened.")
                return redirect("pairing:session_log", session_id=session.pk)
            messages.success(request, "Session scheduled. Add it to your calendar below.")
            return redirect("pairing:session_detail", session_id=session.pk)
    return render(request, "pairing/session_form.html", {"pair": pair, "form": form})


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    view = session_view(session=session, pair=pair, me=me)
    context = {
        "pair": pair,
        "session": view.row.session,
        "view": view,
        "note_form": PrivateNoteForm(initial={"text": view.row.my_note or ""}),
        "editable_until": log_editable_until(view.row.session),
        "alternation": pair.cohort.programme.alternation,
    }
    return render(request, "pairing/session_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_reschedule_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    if session.status != MentoringSession.Status.SCHEDULED or pair.status not in Pair.LIVE_STATUSES:
        messages.error(request, "Only a scheduled session of a live pair can be rescheduled.")
        return redirect("pairing:session_detail", session_id=session.pk)
    initial = {
        "scheduled_start": timezone.localtime(session.scheduled_start),
        "planned_minutes": session.planned_minutes,
        "place": session.place,
    }
    form = SessionScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session_reschedule(session=session, by=me, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Session moved. Your calendar feed updates by itself.")
            return redirect("pairing:session_detail", session_id=session.pk)
    context = {"pair": pair, "form": form, "session": session}
    return render(request, "pairing/session_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    if session.status != MentoringSession.Status.SCHEDULED or pair.status not in Pair.LIVE_STATUSES:
        messages.error(request, "Only a scheduled session of a live pair can be cancelled.")
        return redirect("pairing:session_detail", session_id=session.pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_cancel(session=session, by=me, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Session cancelled. It does not count as a turn.")
            return redirect(_pair_url(pair))
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
            return redirect(_pair_url(pair))
    context["form"] = form
    return render(request, "pairing/session_log.html", context)


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
        return redirect("pairing:session_detail", session_id=session.pk)
    return render(
        request, "pairing/private_note.html", {"pair": pair, "session": session, "form": form}
    )


@login_required
@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session as an .ics file to add to any calendar."""
    session, pair, _me = session_get_for_member(user=request.user, session_id=session_id)
    event = CalendarEvent(
        session=session,
        sides=pair_sides(pair=pair),
        mode=pair.cohort.programme.alternation,
        url=request.build_absolute_uri(reverse("pairing:session_detail", args=[session.pk])),
    )
    response = HttpResponse(
        calendar_text([event], name="Mentoring session"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mentoring-session-{session.pk}.ics"'
    return response


# --- calendar feeds ------------------------------------------------------------------------
@sensitive_variables("new", "url", "context")
def _new_feed_page(request: HttpRequest, new: NewCalendarFeed, message: str) -> HttpResponse:
    """The settings page showing a just-created feed's URL: the only time it is shown.

    Rendered as the answer to the POST (not after a redirect), so the URL never has to be
    kept anywhere between two requests; no-store keeps it out of browser and proxy caches.
    """
    messages.success(request, message)
    url = request.build_absolute_uri(reverse("pairing:calendar_feed", args=[new.token]))
    context = {"feed": new.feed, "feed_url": url}
    response = render(request, "pairing/calendar_settings.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Create the user's secret feed URL (shown once), or say that one exists."""
    if request.method == "POST":
        return _new_feed_page(
            request,
            calendar_feed_create(user=request.user),
            "Your calendar URL is ready.",
        )
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(request, "pairing/calendar_settings.html", {"feed": feed, "feed_url": None})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    """Confirm, then revoke the feed URL (optionally replacing it with a new one)."""
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    if request.method == "POST":
        if request.POST.get("replace"):
            return _new_feed_page(
                request,
                calendar_feed_create(user=request.user),
                "The old URL stopped working. Here is the new one.",
            )
        calendar_feed_revoke(user=request.user)
        messages.success(request, "Your calendar URL stopped working.")
        return redirect("pairing:calendar_settings")
    return render(request, "pairing/calendar_revoke.html", {"feed": feed})


@sensitive_variables("token")
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The public feed: the token is the only key; a revoked token is a 404.

    ``never_cache`` sends ``Cache-Control: private, no-store``: the feed is one person's
    schedule behind a secret URL, so no shared cache may keep it.
    """
    feed = calendar_feed_get_by_token(token=token)
    if feed is None:
        raise Http404("No such calendar.")
    sessions, seats = sessions_for_calendar(user=feed.user)
    events = [
        CalendarEvent(
            session=s,
            sides=seats.get(s.pair_id, []),
            mode=s.pair.cohort.programme.alternation,
            url=request.build_absolute_uri(reverse("pairing:session_detail", args=[s.pk])),
        )
        for s in sessions
    ]
    return HttpResponse(
        calendar_text(events, name="My mentoring sessions"),
        content_type="text/calendar; charset=utf-8",
    )
