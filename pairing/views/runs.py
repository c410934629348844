"""Pairing runs and proposals (programme admins) and ending a pair (its members)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.errors import RuleViolation
from mentoring.forms import apply_service_errors
from mentoring.links import site_base_url
from pairing import engine
from pairing.forms.runs import EndRequestForm, PairLockForm, PublishForm, SwapForm
from pairing.models import MatchRun, Pair
from pairing.permissions import pair_get_for_admin, pair_get_for_member
from pairing.selectors.proposal import (
    named_reasons,
    proposal_quality,
    proposal_rows,
    publish_list,
)
from pairing.selectors.runs import (
    LOW_MATCH_PERCENT,
    PAIRING_PROGRAMME_STATUSES,
    histogram_labels,
    match_run_is_active,
    match_run_latest,
    proposal_overview,
    proposal_pair,
    proposed_pairs,
    swap_choices,
    swap_preview,
)
from pairing.services.matching import match_run_start
from pairing.services.pairs import (
    pair_exclude,
    pair_lock,
    pair_request_end,
    pairs_publish,
    pairs_swap,
)
from programmes.models import Cohort, Programme
from programmes.permissions import cohort_get_for_admin
from programmes.services.programmes import TransitionNotAllowed, programme_transition

PAGE_SIZE = 50
# Publishing in these programme statuses offers to start the programme (move it to running).
START_FROM = (Programme.Status.ENROLLING, Programme.Status.MATCHING)


def _can_edit(cohort: Cohort, run: MatchRun | None) -> bool:
    return cohort.programme.status in PAIRING_PROGRAMME_STATUSES and not match_run_is_active(run)


def _last_success(cohort: Cohort, run: MatchRun | None) -> MatchRun | None:
    if run is not None and run.status == MatchRun.Status.SUCCEEDED:
        return run
    return MatchRun.objects.filter(cohort=cohort, status=MatchRun.Status.SUCCEEDED).first()


def _back_to_cohort(cohort_id: int, page: int | None = None, anchor: str = "") -> HttpResponse:
    url = reverse("pairing:cohort_pairs", kwargs={"cohort_id": cohort_id})
    if page and page > 1:
        url += f"?page={page}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_GET
def cohort_pairs(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    run = match_run_latest(cohort=cohort)
    last_success = _last_success(cohort, run)
    overview = proposal_overview(cohort=cohort)
    page = Paginator(proposed_pairs(cohort=cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = histogram_labels()
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "run": run,
        "run_active": match_run_is_active(run),
        "last_success": last_success,
        "overview": overview,
        "page": page,
        "rows": proposal_rows(programme=cohort.programme, pairs=page.object_list),
        "low_match_percent": LOW_MATCH_PERCENT,
        "can_edit": _can_edit(cohort, run),
        "programme_allows_pairing": cohort.programme.status in PAIRING_PROGRAMME_STATUSES,
        "quality": proposal_quality(run=last_success),
        "histogram": {"labels": labels, "counts": overview["histogram"]},
        "histogram_rows": list(zip(labels, overview["histogram"], strict=True)),
    }
    return render(request, "pairing/runs/cohort_pairs.html", context)


@login_required
@require_GET
def run_progress(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """htmx partial polled every second while a run is queued or running.

    Once the run has finished, ``HX-Refresh`` makes htmx reload the whole page so the new
    proposal shows.
    """
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    run = match_run_latest(cohort=cohort)
    active = match_run_is_active(run)
    response = render(
        request, "pairing/runs/_progress.html", {"cohort": cohort, "run": run, "run_active": active}
    )
    if not active and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_start(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    try:
        match_run_start(cohort=cohort, by=request.user)
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Pairing started. The proposal appears here when it is ready.")
    return _back_to_cohort(cohort.pk)


@login_required
@require_GET
def proposal_quality_card(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """htmx partial polled while a worker recomputes the quality figure of a large cohort."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    quality = proposal_quality(run=_last_success(cohort, None))
    return render(request, "pairing/runs/_quality.html", {"cohort": cohort, "quality": quality})


@login_required
@require_POST
def pair_lock_toggle(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    form = PairLockForm(request.POST)
    form.is_valid()  # both fields are optional; a missing "locked" means unlock
    locked = bool(form.cleaned_data.get("locked"))
    page = form.cleaned_data.get("page")
    try:
        pair = pair_lock(pair=pair, by=request.user, locked=locked)
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return _back_to_cohort(pair.cohort_id, page)
    if request.htmx:
        # The row, and the quality figure out of band: locking changed what it compares with.
        cohort = pair.cohort
        (row,) = proposal_rows(programme=cohort.programme, pairs=[proposal_pair(pair_id=pair.pk)])
        context = {
            "row": row,
            "can_edit": True,
            "page_number": page,
            "cohort": cohort,
            "quality": proposal_quality(run=_last_success(cohort, None)),
            "low_match_percent": LOW_MATCH_PERCENT,
        }
        return render(request, "pairing/runs/_lock_response.html", context)
    messages.success(request, "Pair locked." if locked else "Pair unlocked.")
    return _back_to_cohort(pair.cohort_id, page, anchor=f"pair-{pair.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def pair_exclude_confirm(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get_for_admin(user=request.user, pair_id=pair_id)
    if pair.status != Pair.Status.PROPOSED:
        messages.info(request, "This pair is no longer a proposal.")
        return _back_to_cohort(pair.cohort_id)
    if request.method == "POST":
        try:
            pair_exclude(pair=pair, by=request.user)
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "Pair removed from the proposal. Its people are back in the pool and will not "
                "be proposed together again.",
            )
        return _back_to_cohort(pair.cohort_id)
    pair = proposal_pair(pair_id=pair.pk)
    people = [m.participant for m in pair.members.all()]
    context = {"pair": pair, "cohort": pair.cohort, "reasons": named_reasons(pair.reasons, people)}
    return render(request, "pairing/runs/pair_exclude.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pairs_swap_view(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """GET with two people: preview the score change. POST: make the swap."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    choices = swap_choices(cohort=cohort)
    data = request.POST if request.method == "POST" else request.GET
    bound = "person_a" in data and "person_b" in data
    form = SwapForm(data if bound else None, choices=choices, initial=data.dict())
    preview = None
    if bound and form.is_valid():
        try:
            preview = swap_preview(
                cohort=cohort,
                person_a_id=form.cleaned_data["person_a"],
                person_b_id=form.cleaned_data["person_b"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
    if request.method == "POST" and preview is not None:
        try:
            result = pairs_swap(
                pair_a=preview.pair_a,
                pair_b=preview.pair_b,
                person_a_id=preview.person_a.pk,
                person_b_id=preview.person_b.pk,
                by=request.user,
            )
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Swapped {preview.person_a.display_name} and {preview.person_b.display_name}. "
                f"Match now {result.scores[0].percent} % and {result.scores[1].percent} %.",
            )
            return _back_to_cohort(cohort.pk, anchor=f"pair-{preview.pair_a.pk}")
    after_reasons = []
    if preview is not None and preview.allowed:
        # (the new score, its reasons naming the new partners) for each of the two pairs
        after_reasons = [
            (score, named_reasons(engine.reasons_as_json(score.details), people))
            for score, people in zip(preview.after, (preview.new_a, preview.new_b), strict=True)
        ]
    context = {
        "cohort": cohort,
        "form": form,
        "preview": preview,
        "after_reasons": after_reasons,
        "has_choices": len(choices) >= 2,
    }
    return render(request, "pairing/runs/pairs_swap.html", context)


def _offer_the_start(request: HttpRequest, programme_id: int) -> None:
    """After publishing while enrolling or matching: start the programme if the admin ticked
    it on the confirmation, else say where to (the programme page's main button)."""
    programme = Programme.objects.get(pk=programme_id)
    if programme.status not in START_FROM:
        return
    if request.POST.get("start_programme"):
        try:
            programme_transition(
                programme=programme,
                target=Programme.Status.RUNNING,
                by=request.user,
                base_url=site_base_url(request),
            )
        except TransitionNotAllowed as exc:
            messages.error(request, f"The programme could not start yet: {' '.join(exc.blockers)}")
        else:
            messages.success(request, "The programme is now running.")
        return
    messages.info(
        request,
        format_html(
            'The programme is still {}. <a href="{}#programme-status">Start the programme</a> '
            "from its page when you are ready.",
            programme.get_status_display().lower(),
            reverse("programmes:programme_detail", kwargs={"slug": programme.slug}),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pairs_publish_confirm(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    listing = publish_list(cohort=cohort)
    form = PublishForm(
        request.POST if request.method == "POST" else None, low_count=listing.low_count
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = pairs_publish(
                cohort=cohort,
                by=request.user,
                base_url=site_base_url(request),
                low_matches_confirmed=form.cleaned_data["publish_low_matches"],
            )
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if count:
                messages.success(
                    request,
                    f"Published {count} pair{'s' if count != 1 else ''}. Each member is being "
                    "emailed their partner's name and can now see the pair.",
                )
                _offer_the_start(request, cohort.programme_id)
            else:
                messages.info(request, "There was nothing left to publish.")
        return _back_to_cohort(cohort.pk)
    run = match_run_latest(cohort=cohort)
    context = {
        "cohort": cohort,
        "overview": proposal_overview(cohort=cohort),
        "can_edit": _can_edit(cohort, run),
        "run_active": match_run_is_active(run),
        "offer_start": cohort.programme.status in START_FROM,
        "form": form,
        "listing": listing,
        "low_match_percent": LOW_MATCH_PERCENT,
    }
    return render(request, "pairing/runs/pairs_publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def end_request(request: HttpRequest, pair_id: int) -> HttpResponse:
    """A member asks to end their pair (with a reason and a confirmation)."""
    pair, me = pair_get_for_member(user=request.user, pair_id=pair_id)
    live = pair.status in Pair.LIVE_STATUSES
    form = EndRequestForm(request.POST or None)
    if request.method == "POST" and live and form.is_valid():
        try:
            pair_request_end(
                pair=pair,
                by_participant=me,
                reason=form.cleaned_data["reason"],
                base_url=site_base_url(request),
            )
        except RuleViolation as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Your pair has ended. Your partner and the programme admins have been told; "
                "you will be offered a new partner in the next pairing run.",
            )
            return redirect(pair)
    partners = [
        m.participant
        for m in pair.members.select_related("participant")
        if m.participant_id != me.pk
    ]
    context = {"pair": pair, "me": me, "partners": partners, "form": form, "live": live}
    return render(request, "pairing/runs/end_request.html", context)
