"""Bulk enrolment from CSV: upload → preview of every row → apply the good rows.

The upload is kept in storage (a day at most) between the preview and the apply. A file
whose rows are all good is applied as a whole; with rows to fix, the admin either uploads
a corrected file or imports the good rows and skips the others, whose CSV (with a
``problems`` column) stays downloadable so they can be fixed and uploaded on their own.
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
from django.views.decorators.http import require_GET

from mentoring.errors import RuleViolation
from mentoring.links import site_base_url
from programmes.csv_utils import csv_stream
from programmes.forms.imports import ImportApplyForm, ImportUploadForm
from programmes.models import Cohort
from programmes.permissions import cohort_get_for_admin
from programmes.services.imports import (
    ALREADY_ENROLLED,
    COLUMNS,
    PROBLEM_LABELS,
    ImportBlocked,
    ImportResult,
    import_apply,
    import_decode,
    import_preview,
    import_template_rows,
    skipped_rows_csv,
)

PREVIEW_PAGE_SIZE = 200
SESSION_KEY = "programme_imports"  # {import id: original file name}
KEEP_UPLOADS = dt.timedelta(days=1)  # an upload (or its skipped rows) is deleted after this


def _upload_path(cohort: Cohort, import_id: uuid.UUID | str) -> str:
    return f"imports/{cohort.pk}/{import_id}.csv"


def _skipped_path(cohort: Cohort, import_id: uuid.UUID | str) -> str:
    return f"imports/{cohort.pk}/{import_id}.skipped.csv"


def _forget_old_uploads(cohort: Cohort) -> None:
    folder = f"imports/{cohort.pk}"
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - KEEP_UPLOADS
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _wants_updates(data) -> bool:
    return data.get("update") in ("1", "on")


@login_required
def import_upload(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            import_decode(data)
        except RuleViolation as exc:
            # The file cannot be read: the message belongs next to the file field.
            form.add_error("file", exc)
        else:
            _forget_old_uploads(cohort)
            import_id = uuid.uuid4()
            default_storage.save(_upload_path(cohort, import_id), ContentFile(data))
            names = request.session.get(SESSION_KEY, {})
            names[str(import_id)] = upload.name[:200]
            request.session[SESSION_KEY] = names
            url = reverse(
                "programmes:import_preview",
                kwargs={"cohort_id": cohort.pk, "import_id": import_id},
            )
            return redirect(url + ("?update=1" if form.cleaned_data["update"] else ""))
    context = {"form": form, "cohort": cohort, "programme": cohort.programme, "columns": COLUMNS}
    return render(request, "programmes/import_upload.html", context)


def _applied_message(cohort: Cohort, result: ImportResult, skipped_url: str) -> str:
    parts = [
        f"{result.created} participant{'' if result.created == 1 else 's'} "
        f"{'was' if result.created == 1 else 'were'} added to {cohort.name}."
    ]
    if result.updated:
        parts.append(
            f"{result.updated} {'person was' if result.updated == 1 else 'people were'} updated."
        )
    if result.unchanged:
        parts.append(f"{result.unchanged} already up to date.")
    if result.skills_added:
        n = len(result.skills_added)
        parts.append(
            "1 new skill was added to the vocabulary."
            if n == 1
            else f"{n} new skills were added to the vocabulary."
        )
    if result.created and result.invitations_queued:
        parts.append("Their invitations are being emailed.")
    elif result.created and cohort.programme.status == cohort.programme.Status.DRAFT:
        parts.append("Invitations will be emailed when you open enrolment.")
    text = " ".join(parts)
    if not result.skipped:
        return text
    n = len(result.skipped)
    return format_html(
        '{} {} skipped: <a href="{}" class="alert-link">download {} with {} problems (CSV)</a>, '
        "fix {} and upload {} again.",
        text,
        "1 row with errors was" if n == 1 else f"{n} rows with errors were",
        skipped_url,
        "it" if n == 1 else "them",
        "its" if n == 1 else "their",
        "it" if n == 1 else "them",
        "it" if n == 1 else "them",
    )


@login_required
def import_preview_view(request: HttpRequest, cohort_id: int, import_id: uuid.UUID) -> HttpResponse:
    """GET: every row with its problems. POST: apply the good rows (all of them or none)."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    path = _upload_path(cohort, import_id)
    if not default_storage.exists(path):
        raise Http404("No such upload (it may have been applied or expired).")
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    file_name = request.session.get(SESSION_KEY, {}).get(str(import_id), "the uploaded file")
    posted = request.method == "POST"
    apply_form = ImportApplyForm(request.POST if posted else None)
    update = _wants_updates(request.POST if posted else request.GET)
    error = ""
    try:
        text = import_decode(data)
        if posted and apply_form.is_valid():
            choices = apply_form.cleaned_data
            update = choices["update_existing"]
            result = import_apply(
                cohort=cohort,
                text=text,
                add_unknown_skills=choices["add_unknown_skills"],
                by=request.user,
                base_url=site_base_url(request),
                file_name=file_name,
                skip_errors=choices["skip_errors"],
                update_existing=update,
                expected_rows=choices["expected"],
            )
            default_storage.delete(path)
            skipped_url = ""
            if result.skipped:
                # Kept (a day) so the admin can download the rows to fix after the import.
                default_storage.save(
                    _skipped_path(cohort, import_id),
                    ContentFile(skipped_rows_csv(result.skipped).encode("utf-8")),
                )
                skipped_url = reverse(
                    "programmes:import_skipped",
                    kwargs={"cohort_id": cohort.pk, "import_id": import_id},
                )
            else:
                request.session.get(SESSION_KEY, {}).pop(str(import_id), None)
                request.session.modified = True
            messages.success(request, _applied_message(cohort, result, skipped_url))
            return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
        preview = import_preview(cohort=cohort, text=text, update_existing=update)
    except ImportBlocked as exc:
        preview = exc.preview
        error = (
            " ".join(exc.messages)
            if exc.changed or not preview.error_rows
            else "Nothing was imported: some rows still have errors. Import the good rows "
            "and skip those, or fix them in your file and upload it again."
        )
    except RuleViolation as exc:  # the file cannot be read (or the programme closed)
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:import_upload", cohort_id=cohort.pk)

    only_problems = request.GET.get("show") != "all" and any(
        r.problems or r.changes for r in preview.rows
    )
    rows = [r for r in preview.rows if r.problems or r.changes] if only_problems else preview.rows
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = preview.counts()
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "import_id": import_id,
        "file_name": file_name,
        "preview": preview,
        "counts": counts,
        "problem_counts": [
            (PROBLEM_LABELS[code], n) for code, n in sorted(preview.problem_counts().items())
        ],
        "page": page,
        "only_problems": only_problems,
        "update": update,
        "error": error,
        "already_enrolled": ALREADY_ENROLLED,
        "upload_form": ImportUploadForm(initial={"update": update}),
        "columns": COLUMNS,
    }
    return render(request, "programmes/import_preview.html", context)


@login_required
@require_GET
def import_skipped(request: HttpRequest, cohort_id: int, import_id: uuid.UUID) -> HttpResponse:
    """The rows to fix, with a ``problems`` column: those an import skipped, or (before it is
    applied) those the preview shows with errors."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    skipped = _skipped_path(cohort, import_id)
    if default_storage.exists(skipped):
        with default_storage.open(skipped, "rb") as stored:
            body = stored.read()
    else:
        path = _upload_path(cohort, import_id)
        if not default_storage.exists(path):
            raise Http404("No such upload (it may have expired).")
        with default_storage.open(path, "rb") as stored:
            data = stored.read()
        try:
            preview = import_preview(
                cohort=cohort, text=import_decode(data), update_existing=_wants_updates(request.GET)
            )
        except RuleViolation as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("programmes:import_upload", cohort_id=cohort.pk)
        body = skipped_rows_csv(preview.error_rows).encode("utf-8")
    file_name = request.session.get(SESSION_KEY, {}).get(str(import_id), "import.csv")
    stem = slugify(file_name.rsplit(".", 1)[0]) or "import"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-rows-to-fix.csv"'
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    body = "".join(csv_stream(COLUMNS, import_template_rows()))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participants-template.csv"'
    return response
