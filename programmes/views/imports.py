"""Bulk enrolment from CSV: upload → preview of every row → apply (all or nothing)."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mentoring.errors import RuleViolation
from mentoring.links import site_base_url
from programmes.csv_utils import csv_stream
from programmes.forms.imports import ImportApplyForm, ImportUploadForm
from programmes.models import Cohort
from programmes.permissions import cohort_get_for_admin
from programmes.services.imports import (
    COLUMNS,
    PROBLEM_LABELS,
    ImportBlocked,
    import_apply,
    import_decode,
    import_preview,
    import_template_rows,
)

PREVIEW_PAGE_SIZE = 200
SESSION_KEY = "programme_imports"  # {import id: original file name}
KEEP_UPLOADS = dt.timedelta(days=1)  # an unapplied upload is deleted after this


def _upload_path(cohort: Cohort, import_id: uuid.UUID | str) -> str:
    return f"imports/{cohort.pk}/{import_id}.csv"


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
            return redirect("programmes:import_preview", cohort_id=cohort.pk, import_id=import_id)
    context = {"form": form, "cohort": cohort, "programme": cohort.programme, "columns": COLUMNS}
    return render(request, "programmes/import_upload.html", context)


@login_required
def import_preview_view(request: HttpRequest, cohort_id: int, import_id: uuid.UUID) -> HttpResponse:
    """GET: every row with its problems. POST: apply the file (all or nothing)."""
    cohort = cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    path = _upload_path(cohort, import_id)
    if not default_storage.exists(path):
        raise Http404("No such upload (it may have been applied or expired).")
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    file_name = request.session.get(SESSION_KEY, {}).get(str(import_id), "the uploaded file")
    apply_form = ImportApplyForm(request.POST if request.method == "POST" else None)
    add_skills = False
    error = ""
    try:
        text = import_decode(data)
        if request.method == "POST" and apply_form.is_valid():
            add_skills = apply_form.cleaned_data["add_unknown_skills"]
            result = import_apply(
                cohort=cohort,
                text=text,
                add_unknown_skills=add_skills,
                by=request.user,
                base_url=site_base_url(request),
                file_name=file_name,
            )
            default_storage.delete(path)
            request.session.get(SESSION_KEY, {}).pop(str(import_id), None)
            request.session.modified = True
            text_ = f"{result.created} participants were added to {cohort.name}."
            if result.skills_added:
                n = len(result.skills_added)
                text_ += (
                    " 1 new skill was added to the vocabulary."
                    if n == 1
                    else f" {n} new skills were added to the vocabulary."
                )
            if result.invitations_queued:
                text_ += " Their invitations are being emailed."
            elif cohort.programme.status == cohort.programme.Status.DRAFT:
                text_ += " Invitations will be emailed when you open enrolment."
            messages.success(request, text_)
            return redirect("programmes:cohort_detail", cohort_id=cohort.pk)
        preview = import_preview(cohort=cohort, text=text)
    except ImportBlocked as exc:
        preview = exc.preview
        error = (
            "Nothing was imported: tick “Add these skills to the vocabulary” or fix the "
            "unknown skills."
            if preview.blocked_by_skills_only
            else "Nothing was imported: some rows still have problems. Fix them in your file "
            "and upload it again."
        )
    except RuleViolation as exc:  # the file cannot be read (or the programme closed)
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:import_upload", cohort_id=cohort.pk)

    only_problems = request.GET.get("show") != "all" and any(r.problems for r in preview.rows)
    rows = [r for r in preview.rows if r.problems] if only_problems else preview.rows
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "import_id": import_id,
        "file_name": file_name,
        "preview": preview,
        "counts": preview.counts(add_unknown_skills=add_skills),
        "counts_with_skills": preview.counts(add_unknown_skills=True),
        "problem_counts": [
            (PROBLEM_LABELS[code], n) for code, n in sorted(preview.problem_counts().items())
        ],
        "page": page,
        "only_problems": only_problems,
        "has_non_skill_blockers": bool(preview.blocked_rows(add_unknown_skills=True)),
        "error": error,
        "upload_form": ImportUploadForm(),
        "columns": COLUMNS,
    }
    return render(request, "programmes/import_preview.html", context)


@login_required
@require_GET
def import_template(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort_get_for_admin(user=request.user, cohort_id=cohort_id)
    body = "".join(csv_stream(COLUMNS, import_template_rows()))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participants-template.csv"'
    return response
