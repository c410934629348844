"""Programmes' parts of pages drawn by others: the programme page's sign-up-link panel, the
applicant's card on the home page, and who to tell when a participant's details are wrong.

Template tags, so those pages' views need not know about applications: each page includes
one small template of ours that loads these.
"""

from django import template
from django.db.models import QuerySet

from mentoring.links import site_base_url
from mentoring.models import User
from programmes.forms.nominations import NominationLinkForm
from programmes.models import Application, Programme, ProgrammeRole
from programmes.permissions import user_is_programme_admin
from programmes.selectors import application_counts, my_applications, nomination_links_for_admin
from programmes.services.applications import nomination_url

register = template.Library()


@register.inclusion_tag("programmes/_nomination_panel_body.html", takes_context=True)
def nomination_panel(context, programme: Programme) -> dict:
    """The sign-up links of ``programme`` with their copy buttons, and the queue's counts."""
    request = context["request"]
    if not user_is_programme_admin(user=request.user, programme=programme):
        return {"visible": False}
    base = site_base_url(request)
    links = [
        {"link": link, "url": nomination_url(link=link, base_url=base)}
        for link in nomination_links_for_admin(programme=programme)
    ]
    covered = {entry["link"].cohort_id for entry in links}
    form = NominationLinkForm(programme=programme)
    # Offer only the scopes that have no link yet (None = the whole programme).
    cohort_field = form.fields["cohort"]
    cohort_field.queryset = cohort_field.queryset.exclude(pk__in=covered - {None})
    if None in covered:
        cohort_field.empty_label, cohort_field.required = None, True
        cohort_field.label = "Also a link for one cohort: its applicants join"
    cohort_field.widget.attrs.update({"id": "nomination-cohort", "class": "form-select"})
    return {
        "visible": True,
        "programme": programme,
        "links": links,
        "counts": application_counts(programme=programme),
        "form": form,
        "programme_link_on": None in covered,
        "can_add": programme.status != Programme.Status.CLOSED
        and (None not in covered or cohort_field.queryset.exists()),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def applications_of(user: User) -> QuerySet[Application]:
    """The signed-in user's own applications (for the home page)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return my_applications(user=user)


@register.simple_tag
def programme_admin_names(programme: Programme) -> str:
    """The programme admins' names, for "tell your programme admin (…)"."""
    names = (
        ProgrammeRole.objects.filter(programme=programme, role=ProgrammeRole.Role.ADMIN)
        .select_related("user")
        .order_by("granted_at")
    )
    return ", ".join(role.user.display_name for role in names)
