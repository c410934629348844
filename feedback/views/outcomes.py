"""Outcome data of a programme for its admins and HR viewers: counts of survey answers and
outcome events, and the CSV imports of outcome events and the comparison group.

Upload → preview of every row → apply the good rows, as the participant import does
(``programmes.views.imports``): the upload is kept in storage a day at most between the
preview and the apply; with rows to fix, the person imports the good rows and skips the
others, whose CSV (with a ``problems`` column) stays downloadable. Nobody's answers, and
never a free-text answer, are shown here.
"""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from feedback.forms.outcomes import OutcomeApplyForm, OutcomeUploadForm
from feedback.imports import SPECS, ImportSpec, OutcomeImportBlocked, import_decode, skipped_csv
from feedback.permissions import programme_get_for_outcomes
from feedback.selectors.outcomes import outcomes_summary
from mentoring.errors import RuleViolation
from programmes.csv_utils import csv_stream
from programmes.models import Programme

PREVIEW_PAGE_SIZE = 200
SESSION_KEY = "outcome_imports"  # {import id: original file name}
KEEP_UPLOADS = dt.timedelta(days=1)


def _spec(kind: str) -> ImportSpec:
    try:
        return SPECS[kind]
    except KeyError:
        raise Http404("No such import.") from None


def _folder(programme: Programme, spec: ImportSpec) -> str:
    return f"outcome_imports/{programme.pk}/{spec.kind}"


def _upload_path(programme: Programme, spec: ImportSpec, import_id) -> str:
    return f"{_folder(programme, spec)}/{import_id}.csv"


def _skipped_path(programme: Programme, spec: ImportSpec, import_id) -> str:
    return f"{_folder(programme, spec)}/{import_id}.skipped.csv"


def _forget_old_uploads(programme: Programme, spec: ImportSpec) -> None:
    folder = _folder(programme, spec)
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - KEEP_UPLOADS
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


@login_required
@require_GET
def outcomes_home(request: HttpRequest, slug: str) -> HttpResponse:
    programme = programme_get_for_outcomes(user=request.user, slug=slug)
    context = {"programme": programme, "specs": SPECS, **outcomes_summary(programme=programme)}
    return render(request, "feedback/outcomes/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_import_upload(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme = programme_get_for_outcomes(user=request.user, slug=slug)
    spec = _spec(kind)
    posted = request.method == "POST"
    form = OutcomeUploadForm(request.POST if posted else None, request.FILES or None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            import_decode(data)
        except RuleViolation as exc:
            form.add_error("file", exc)
        else:
            _forget_old_uploads(programme, spec)
            import_id = uuid.uuid4()
            default_storage.save(_upload_path(programme, spec, import_id), ContentFile(data))
            names = request.session.get(SESSION_KEY, {})
            names[str(import_id)] = upload.name[:200]
            request.session[SESSION_KEY] = names
            return redirect(
                "feedback:outcome_import_preview",
                slug=programme.slug,
                kind=spec.kind,
                import_id=import_id,
            )
    context = {"programme": programme, "spec": spec, "form": form}
    return render(request, "feedback/outcomes/import_upload.html", context)


def _applied_message(spec: ImportSpec, result, skipped_url: str) -> str:
    noun = "event" if spec.kind == "events" else "department figure"
    text = f"{result.written} {noun}{'' if result.written == 1 else 's'} imported."
    if result.unchanged:
        text += f" {result.unchanged} already recorded, left as they were."
    if not result.skipped:
        return text
    n = len(result.skipped)
    return format_html(
        '{} {} skipped: <a href="{}" class="alert-link">download {} with {} problems (CSV)</a>.',
        text,
        "1 row with errors was" if n == 1 else f"{n} rows with errors were",
        skipped_url,
        "it" if n == 1 else "them",
        "its" if n == 1 else "their",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_import_preview(
    request: HttpRequest, slug: str, kind: str, import_id: uuid.UUID
) -> HttpResponse:
    """GET: every row with its problems. POST: apply the good rows (all of them or none)."""
    programme = programme_get_for_outcomes(user=request.user, slug=slug)
    spec = _spec(kind)
    path = _upload_path(programme, spec, import_id)
    if not default_storage.exists(path):
        raise Http404("No such upload (it may have been applied or expired).")
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    file_name = request.session.get(SESSION_KEY, {}).get(str(import_id), "the uploaded file")
    posted = request.method == "POST"
    apply_form = OutcomeApplyForm(request.POST if posted else None)
    error = ""
    try:
        text = import_decode(data)
        if posted and apply_form.is_valid():
            result = spec.apply(
                programme=programme,
                text=text,
                by=request.user,
                file_name=file_name,
                skip_errors=apply_form.cleaned_data["skip_errors"],
                expected_rows=apply_form.cleaned_data["expected"],
            )
            default_storage.delete(path)
            skipped_url = ""
            if result.skipped:
                default_storage.save(
                    _skipped_path(programme, spec, import_id),
                    ContentFile(skipped_csv(result.skipped, columns=spec.columns).encode()),
                )
                skipped_url = reverse(
                    "feedback:outcome_import_skipped",
                    kwargs={"slug": programme.slug, "kind": spec.kind, "import_id": import_id},
                )
            messages.success(request, _applied_message(spec, result, skipped_url))
            return redirect("feedback:outcomes_home", slug=programme.slug)
        preview = spec.preview(programme=programme, text=text)
    except OutcomeImportBlocked as exc:
        preview = exc.preview
        error = (
            " ".join(exc.messages)
            if exc.changed or not preview.error_rows
            else "Nothing was imported: some rows still have errors. Import the good rows "
            "and skip those, or fix them in your file and upload it again."
        )
    except RuleViolation as exc:  # the file cannot be read
        messages.error(request, " ".join(exc.messages))
        return redirect("feedback:outcome_import_upload", slug=programme.slug, kind=spec.kind)
    only_problems = request.GET.get("show") != "all" and any(r.problems for r in preview.rows)
    rows = [r for r in preview.rows if r.problems] if only_problems else preview.rows
    context = {
        "programme": programme,
        "spec": spec,
        "import_id": import_id,
        "file_name": file_name,
        "preview": preview,
        "counts": preview.counts(),
        "problem_counts": [
            (spec.problem_labels[code], n) for code, n in sorted(preview.problem_counts().items())
        ],
        "page": Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page")),
        "only_problems": only_problems,
        "error": error,
    }
    return render(request, "feedback/outcomes/import_preview.html", context)


@login_required
@require_GET
def outcome_import_skipped(
    request: HttpRequest, slug: str, kind: str, import_id: uuid.UUID
) -> HttpResponse:
    """The rows to fix with a ``problems`` column: those an import skipped, or (before it is
    applied) those the preview shows with errors."""
    programme = programme_get_for_outcomes(user=request.user, slug=slug)
    spec = _spec(kind)
    skipped = _skipped_path(programme, spec, import_id)
    if default_storage.exists(skipped):
        with default_storage.open(skipped, "rb") as stored:
            body = stored.read()
    else:
        path = _upload_path(programme, spec, import_id)
        if not default_storage.exists(path):
            raise Http404("No such upload (it may have expired).")
        with default_storage.open(path, "rb") as stored:
            data = stored.read()
        try:
            preview = spec.preview(programme=programme, text=import_decode(data))
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("feedback:outcome_import_upload", slug=programme.slug, kind=spec.kind)
        body = skipped_csv(preview.error_rows, columns=spec.columns).encode()
    file_name = request.session.get(SESSION_KEY, {}).get(str(import_id), f"{spec.kind}.csv")
    stem = slugify(file_name.rsplit(".", 1)[0]) or spec.kind
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-rows-to-fix.csv"'
    return response


@login_required
@require_GET
def outcome_import_template(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme_get_for_outcomes(user=request.user, slug=slug)
    spec = _spec(kind)
    body = "".join(csv_stream(spec.columns, spec.template_rows))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.kind}-template.csv"'
    return response
