"""A programme admin's reminder settings: each kind on or off, and its timing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from programmes.forms.reminders import ReminderSettingsForm
from programmes.permissions import programme_get_for_admin
from programmes.services.reminders import (
    reminder_kinds_timed,
    reminder_settings_current,
    reminder_settings_save,
)


@login_required
def reminder_settings(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        kinds=reminder_kinds_timed(),
        current=reminder_settings_current(programme=programme),
    )
    if request.method == "POST" and form.is_valid():
        changed = reminder_settings_save(
            programme=programme, by=request.user, settings=form.settings()
        )
        messages.success(
            request, "The reminder settings were saved." if changed else "Nothing changed."
        )
        return redirect("programmes:reminder_settings", slug=programme.slug)
    return render(
        request, "programmes/reminder_settings.html", {"programme": programme, "form": form}
    )
