"""The pair's own pages: the pair page, the session list and the session page.

Feedback draws them because most of what they show is feedback's (goals, ledger, asks,
balance, reflections); pairing supplies the sides and sessions. They keep their
``/pairing/`` addresses (``feedback.urls``). Members of the pair only: anyone else,
admins, HR and superusers included, gets 404 from ``pairing.permissions``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from feedback.forms.workspace import AskForm
from feedback.models import Ask
from feedback.selectors.pair_page import pair_page
from feedback.selectors.sessions import session_list_rows, session_page
from pairing.forms.workspace import PrivateNoteForm
from pairing.permissions import log_editable_until, pair_get_for_member, session_get_for_member
from pairing.selectors.sessions import pair_sessions_queryset

SESSIONS_PAGE_SIZE = 20


@login_required
@require_GET
def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    page = pair_page(pair=pair, me=me)
    context = {
        "pair": pair,
        "ws": page.workspace,
        "programme": page.workspace.programme,
        "ledger": page.ledger,
        "asks": page.asks,
        "ask_form": AskForm() if page.can_ask else None,
        "retrospectives": page.retrospectives,
        "balance": page.balance,
        "end_reason": page.end_reason,
        # Counts for the sections' summaries, from what the page has read (no query).
        "goal_count": sum(len(side.goals) for side in page.workspace.sides),
        "asks_awaiting_me": [
            ask
            for ask in page.asks.asks
            if ask.status == Ask.Status.OPEN and ask.asked_by_id != me.pk
        ],
    }
    return render(request, "feedback/pair/pair_detail.html", context)


@login_required
@require_GET
def session_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Every session of the pair, latest first, paginated."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    page = Paginator(pair_sessions_queryset(pair=pair), SESSIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = session_list_rows(pair=pair, me=me, sessions=list(page.object_list))
    context = {"pair": pair, "page": page, "rows": rows}
    return render(request, "feedback/pair/session_list.html", context)


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    view = session_page(session=session, me=me)
    context = {
        "pair": pair,
        "session": view.row.session,
        "view": view,
        "note_form": PrivateNoteForm(initial={"text": view.row.my_note or ""}),
        "editable_until": log_editable_until(view.row.session),
        "alternation": pair.cohort.programme.alternation,
    }
    return render(request, "feedback/pair/session_detail.html", context)
