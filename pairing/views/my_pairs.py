"""The member's way in: "My pairs" and the home page's "your pair" card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from pairing.selectors.my_pairs import home_card as home_card_selector
from pairing.selectors.my_pairs import my_pairs as my_pairs_selector


@login_required
@require_GET
def my_pairs(request: HttpRequest) -> HttpResponse:
    """The user's pairs; with exactly one, straight to its page."""
    pairs = my_pairs_selector(user=request.user)
    if len(pairs) == 1:
        return redirect(pairs[0]["pair"])
    return render(request, "pairing/my_pairs.html", {"pairs": pairs})


@login_required
@require_GET
def home_card(request: HttpRequest) -> HttpResponse:
    """The home page's "your pair" card body (htmx fragment; empty for non-participants)."""
    card = home_card_selector(user=request.user)
    return render(request, "pairing/_home_card.html", {"card": card})
