"""Reflections, goals, the benefit ledger, asks and completion. Members of the pair only.

Objects are fetched through ``feedback.permissions`` and ``pairing.permissions`` (404
for anyone outside the pair); a member acting on something that belongs to the other
side's role (editing the partner's goal, confirming an item they recorded) gets 403,
from the view or the service, which ask the same predicates in ``feedback.permissions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback.forms.workspace import (
    AskAnswerForm,
    AskForm,
    BenefitItemForm,
    DisputeForm,
    GoalCommentForm,
    GoalEditForm,
    GoalForm,
    ReflectionForm,
    RetrospectiveForm,
)
from feedback.models import Ask, BenefitItem, Goal
from feedback.permissions import (
    ask_get_for_member,
    asks_enabled,
    benefit_item_get_for_member,
    goal_get_for_member,
    may_answer_ask,
    may_answer_item,
    may_ask,
    may_edit_goal,
    reflection_of,
)
from feedback.selectors.workspace import (
    ask_question,
    goals_of_pair,
    ledger_items,
    ledger_summary,
    retrospectives,
)
from feedback.selectors.workspace import (
    goal_detail as goal_detail_selector,
)
from feedback.services.closing import pair_complete
from feedback.services.goals import goal_comment_add, goal_create, goal_update
from feedback.services.ledger import (
    ask_answer,
    ask_create,
    benefit_item_confirm,
    benefit_item_dispute,
    benefit_item_record,
)
from feedback.services.reflections import reflection_save
from mentoring.forms import apply_service_errors
from pairing.models import MentoringSession, Pair
from pairing.permissions import pair_get_for_member, session_get_for_member
from pairing.selectors.my_pairs import end_reason_for
from pairing.selectors.sides import pair_sides
from programmes.models import Participant

LEDGER_PAGE_SIZE = 25


# --- reflections ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, session_id: int) -> HttpResponse:
    """My reflection on a held session (right after logging it); editable later."""
    session, pair, me = session_get_for_member(user=request.user, session_id=session_id)
    if session.status != MentoringSession.Status.HELD:
        messages.info(request, "Reflections are for sessions you held. Log the session first.")
        return redirect(session)
    mine = reflection_of(session=session, me=me)
    initial = model_to_dict(mine, fields=ReflectionForm.base_fields) if mine else {}
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_save(session=session, author=me, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: your reflection is saved.")
            return redirect(pair)
    context = {"pair": pair, "session": session, "form": form, "existing": mine}
    return render(request, "feedback/workspace/reflection_form.html", context)


# --- goals ---------------------------------------------------------------------------------
@login_required
@require_GET
def goal_list(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    sides = pair_sides(pair=pair)
    goals = goals_of_pair(pair=pair)
    columns = [(p, [g for g in goals if g.owner_id == p.pk]) for p in sides]
    context = {"pair": pair, "me": me, "columns": columns}
    return render(request, "feedback/workspace/goal_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_create_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal_create(pair=pair, owner=me, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Goal added. Your partner can now comment on it.")
            return redirect("feedback:goal_list", pair_id=pair.pk)
    return render(request, "feedback/workspace/goal_form.html", {"pair": pair, "form": form})


def _goal_page(
    request: HttpRequest, *, goal: Goal, pair: Pair, me: Participant, comment_form: GoalCommentForm
) -> HttpResponse:
    """A goal with its history and comments, and the comment form (fresh or with errors)."""
    context = {
        "pair": pair,
        "goal": goal,
        "me": me,
        "is_owner": may_edit_goal(goal=goal, me=me),
        "comment_form": comment_form,
        **goal_detail_selector(goal=goal),
    }
    return render(request, "feedback/workspace/goal_detail.html", context)


@login_required
@require_GET
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal, pair, me = goal_get_for_member(user=request.user, goal_id=goal_id)
    return _goal_page(request, goal=goal, pair=pair, me=me, comment_form=GoalCommentForm())


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal, pair, me = goal_get_for_member(user=request.user, goal_id=goal_id)
    if not may_edit_goal(goal=goal, me=me):
        raise PermissionDenied("Only the goal's owner can change it.")
    initial = model_to_dict(goal, fields=GoalEditForm.base_fields)
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal_update(goal=goal, by=me, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Goal updated; the change is kept in its history.")
            return redirect("feedback:goal_detail", goal_id=goal.pk)
    context = {"pair": pair, "form": form, "goal": goal}
    return render(request, "feedback/workspace/goal_form.html", context)


@login_required
@require_POST
def goal_comment(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal, pair, me = goal_get_for_member(user=request.user, goal_id=goal_id)
    form = GoalCommentForm(request.POST)
    if form.is_valid():
        goal_comment_add(goal=goal, author=me, text=form.cleaned_data["text"])
        messages.success(request, "Comment added.")
        return redirect("feedback:goal_detail", goal_id=goal.pk)
    return _goal_page(request, goal=goal, pair=pair, me=me, comment_form=form)


# --- the benefit ledger --------------------------------------------------------------------
@login_required
@require_GET
def ledger(request: HttpRequest, pair_id: int) -> HttpResponse:
    """The whole ledger, latest first; ``?awaiting=me``: only what the viewer must answer."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    sides = pair_sides(pair=pair)
    awaiting = request.GET.get("awaiting") == "me"
    items = ledger_items(pair=pair, awaiting=me if awaiting else None)
    page = Paginator(items, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.awaits_me = item.status == BenefitItem.Status.PENDING and may_answer_item(
            item=item, me=me
        )
    summary = ledger_summary(pair=pair, me=me, shown=0)
    context = {
        "pair": pair,
        "me": me,
        "received": [(p, summary.received_by(p)) for p in sides],
        "awaiting_total": summary.awaiting_me_total,
        "awaiting": awaiting,
        "query": "awaiting=me" if awaiting else "",
        "page": page,
    }
    return render(request, "feedback/workspace/ledger.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_record(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    partners = [p for p in pair_sides(pair=pair) if p.pk != me.pk]
    form = BenefitItemForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        partner = form.partner()
        received = form.cleaned_data["direction"] == "received"
        try:
            benefit_item_record(
                pair=pair,
                by=me,
                giver=partner if received else me,
                receiver=me if received else partner,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                occurred_on=form.cleaned_data["occurred_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Recorded. It counts once {partner.first_name or partner.display_name} confirms it.",
            )
            return redirect("feedback:ledger", pair_id=pair.pk)
    context = {"pair": pair, "form": form, "partners": partners}
    return render(request, "feedback/workspace/ledger_form.html", context)


@login_required
@require_POST
def ledger_confirm(request: HttpRequest, item_id: int) -> HttpResponse:
    item, pair, me = benefit_item_get_for_member(user=request.user, item_id=item_id)
    try:
        benefit_item_confirm(item=item, by=me)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Confirmed. Thank you: it now counts for both of you.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("feedback:ledger", args=[pair.pk])
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_dispute(request: HttpRequest, item_id: int) -> HttpResponse:
    item, pair, me = benefit_item_get_for_member(user=request.user, item_id=item_id)
    if not may_answer_item(item=item, me=me):
        raise PermissionDenied("Only the other side of this item can dispute it.")
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            benefit_item_dispute(item=item, by=me, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Marked as disputed. It will not count.")
            return redirect("feedback:ledger", pair_id=pair.pk)
    context = {"pair": pair, "item": item, "item_me_id": me.pk, "form": form}
    return render(request, "feedback/workspace/ledger_dispute.html", context)


# --- structured asks -----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def ask_create_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    sides = pair_sides(pair=pair)
    _check_can_ask(pair=pair, me=me, sides=sides)
    form = AskForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            ask_create(pair=pair, by=me, sides=sides, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Asked. Your partner sees it on your pair page.")
            return redirect(pair.get_absolute_url() + "#asks")
    return render(request, "feedback/workspace/ask_form.html", {"pair": pair, "form": form})


def _check_can_ask(*, pair: Pair, me: Participant, sides: list[Participant]) -> None:
    """Asks exist in reverse programmes only (404 elsewhere); only the junior side asks (403)."""
    if not asks_enabled(pair):
        raise Http404("Structured asks belong to reverse-mentoring programmes.")
    if not may_ask(pair=pair, me=me, sides=sides):
        raise PermissionDenied("The junior side asks.")


@login_required
@require_http_methods(["GET", "POST"])
def ask_answer_view(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask, pair, me = ask_get_for_member(user=request.user, ask_id=ask_id)
    if not may_answer_ask(ask=ask, me=me):
        raise PermissionDenied("Your partner answers your asks.")
    if ask.status != Ask.Status.OPEN:
        messages.info(request, "This ask has already been answered.")
        return redirect(pair.get_absolute_url() + "#asks")
    ask.question = ask_question(ask)
    form = AskAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ask_answer(
                ask=ask,
                by=me,
                fulfilled=form.cleaned_data["outcome"] == "fulfilled",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Answered. Thank you for sponsoring your partner.")
            return redirect(pair.get_absolute_url() + "#asks")
    return render(
        request, "feedback/workspace/ask_answer.html", {"pair": pair, "ask": ask, "form": form}
    )


# --- completing well -----------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def pair_complete_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Write my retrospective; the pair completes once every side has written one."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    retros = retrospectives(pair=pair)
    mine = next((r for r in retros if r.author_id == me.pk), None)
    written = {r.author_id for r in retros}
    form = RetrospectiveForm(
        request.POST or None, initial={"retrospective": mine.text if mine else ""}
    )
    if request.method == "POST" and pair.status in Pair.LIVE_STATUSES and form.is_valid():
        try:
            completed = pair_complete(
                pair=pair, by=me, retrospective=form.cleaned_data["retrospective"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Your pair is complete. Thank you both."
                if completed
                else "Saved. The pair completes when your partner has written theirs too.",
            )
            return redirect(pair)
    context = {
        "pair": pair,
        "me": me,
        "form": form,
        "mine": mine,
        "others": [r for r in retros if r.author_id != me.pk],
        "progress": [(p, p.pk in written) for p in pair_sides(pair=pair)],
        "end_reason": end_reason_for(pair=pair, viewer=me),
    }
    return render(request, "feedback/workspace/pair_complete.html", context)
