"""The programme's skill vocabulary: add skills, merge duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from programmes.forms.skills import SkillForm, SkillMergeForm
from programmes.permissions import programme_get_for_admin
from programmes.selectors import skills_with_usage
from programmes.services.skills import skill_create, skill_merge


def _render(request: HttpRequest, programme, *, add_form=None, merge_form=None) -> HttpResponse:
    context = {
        "programme": programme,
        "skills": skills_with_usage(programme=programme),
        "add_form": add_form or SkillForm(),
        "merge_form": merge_form or SkillMergeForm(programme=programme),
    }
    return render(request, "programmes/skills.html", context)


@login_required
def skills(request: HttpRequest, slug: str) -> HttpResponse:
    """The vocabulary; POST adds a skill."""
    programme = programme_get_for_admin(user=request.user, slug=slug)
    if request.method != "POST":
        return _render(request, programme)
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            skill = skill_create(
                programme=programme, by=request.user, name=form.cleaned_data["name"]
            )
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"“{skill.name}” was added.")
            return redirect("programmes:skills", slug=programme.slug)
    return _render(request, programme, add_form=form)


@login_required
@require_POST
def skill_merge_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_admin(user=request.user, slug=slug)
    form = SkillMergeForm(request.POST, programme=programme)
    if form.is_valid():
        keep, duplicates = form.cleaned_data["keep"], form.cleaned_data["duplicates"]
        if request.POST.get("confirmed") != "yes":
            # Merging cannot be undone: a page says what changes, its button confirms (no
            # script needed; the skills page's form only leads here).
            context = {
                "programme": programme,
                "keep": keep,
                "duplicates": skills_with_usage(programme=programme).filter(
                    pk__in=[s.pk for s in duplicates]
                ),
            }
            return render(request, "programmes/skill_merge_confirm.html", context)
        try:
            skill_merge(keep=keep, duplicates=duplicates, by=request.user)
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            names = ", ".join(f"“{s.name}”" for s in duplicates)
            messages.success(request, f"Merged {names} into “{keep.name}”.")
            return redirect("programmes:skills", slug=programme.slug)
    return _render(request, programme, merge_form=form)
