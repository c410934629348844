"""Calendars: one session as an .ics file, and each user's secret, revocable feed URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from pairing.permissions import (
    calendar_feed_get_by_token,
    calendar_feed_live_of,
    session_get_for_member,
)
from pairing.selectors.calendar import sessions_for_calendar
from pairing.selectors.sides import pair_sides
from pairing.services.calendar import CalendarEvent, calendar_text
from pairing.services.sessions import NewCalendarFeed, calendar_feed_create, calendar_feed_revoke


@login_required
@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session as an .ics file to add to any calendar."""
    session, pair, _me = session_get_for_member(user=request.user, session_id=session_id)
    event = CalendarEvent(
        session=session,
        sides=pair_sides(pair=pair),
        mode=pair.cohort.programme.alternation,
        url=request.build_absolute_uri(session.get_absolute_url()),
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
    feed = calendar_feed_live_of(user=request.user)
    return render(request, "pairing/calendar_settings.html", {"feed": feed, "feed_url": None})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    """Confirm, then revoke the feed URL (optionally replacing it with a new one)."""
    feed = calendar_feed_live_of(user=request.user)
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
            url=request.build_absolute_uri(s.get_absolute_url()),
        )
        for s in sessions
    ]
    return HttpResponse(
        calendar_text(events, name="My mentoring sessions"),
        content_type="text/calendar; charset=utf-8",
    )
