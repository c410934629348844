"""The notifications page, the preferences page and the one-click unsubscribe.

Everyone reads only their own notifications (another person's id answers 404). The
unsubscribe endpoint needs no session: its token (signed person id) is the authority,
and RFC 8058 mail clients POST to it without a CSRF token.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.models import User

from . import registry
from .forms import PreferencesForm
from .selectors import notifications_for
from .services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
    preferences_for,
)
from .tokens import unsubscribe_user_id

PAGE_SIZE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {code: kind.label for code, kind in registry.kinds().items()}
    for notification in page.object_list:
        notification.kind_label = labels.get(notification.kind, "Message")
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Mark one read; with ``next`` (its deep link) go to that page of this site."""
    if not notifications_for(request.user).filter(pk=delivery_id).exists():
        raise Http404
    notification_mark_read(user=request.user, delivery_id=delivery_id)
    # The stored link is absolute (it is the mail's); follow only its path, on this site.
    parts = urlsplit(request.POST.get("next", ""))
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    # Every box unticked is an empty POST: still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, preferences=preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        for kind, enabled in form.choices().items():
            preference_set(user=request.user, kind=kind, enabled=enabled)
        messages.success(request, "Your notification preferences were saved.")
        return redirect("notifications:preferences")
    always = [k for k in registry.kinds().values() if not k.can_unsubscribe]
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "always": sorted(always, key=lambda k: k.label)},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page (a link scanner must not unsubscribe anyone). POST (the
    page's button, or a mail client's RFC 8058 one-click): switch the kind off."""
    user_id = unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    kind = registry.kinds().get(request.GET.get("kind", "") or request.POST.get("kind", ""))
    if user is None or kind is None or not kind.can_unsubscribe:
        raise Http404
    if request.method == "POST":
        preference_set(user=user, kind=kind.code, enabled=False)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind": kind})
