"""Reads for the programme pages, already scoped and annotated (a constant number of queries)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from mentoring.models import User

from .models import Application, AuditEvent, Cohort, NominationLink, Participant, Programme, Skill
from .permissions import programmes_for_admin

Status = Participant.Status
ACTIVE_STATUSES = (Status.INVITED, Status.ENROLLED, Status.PAIRED, Status.COMPLETED)


def programme_list_for_admin(*, user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(pk__in=programmes_for_admin(user=user).values("pk"))
        .annotate(
            cohort_count=Count("cohorts", distinct=True),
            participant_count=Count(
                "cohorts__participants",
                filter=~Q(cohorts__participants__status=Status.WITHDRAWN),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "name")
    )


def _status_annotations(prefix: str = "") -> dict:
    return {
        f"n_{status}": Count(
            f"{prefix}participants", filter=Q(**{f"{prefix}participants__status": status})
        )
        for status in Status.values
    }


def programme_cohorts(*, programme: Programme) -> QuerySet[Cohort]:
    """The programme's cohorts, each with ``n_<status>`` participant counts."""
    return programme.cohorts.annotate(
        n_total=Count("participants"), **_status_annotations()
    ).order_by("starts_on", "name")


def cohort_status_counts(*, cohort: Cohort) -> dict[str, int]:
    """Participants per status (every status present, zeros included) and ``total``."""
    rows = dict(
        Participant.objects.filter(cohort=cohort)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = {status: rows.get(status, 0) for status in Status.values}
    counts["total"] = sum(counts.values())
    return counts


def cohort_departments(*, cohort: Cohort) -> list[str]:
    return list(
        Participant.objects.filter(cohort=cohort)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def cohort_participants(
    *,
    cohort: Cohort,
    search: str = "",
    status: str = "",
    department: str = "",
    skill: Skill | None = None,
) -> QuerySet[Participant]:
    """The cohort's participants for the admin table, filtered; skills prefetched."""
    participants = Participant.objects.filter(cohort=cohort)
    for term in search.split():
        participants = participants.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(job_title__icontains=term)
        )
    if status:
        participants = participants.filter(status=status)
    if department:
        participants = participants.filter(department=department)
    if skill is not None:
        participants = participants.filter(
            Q(pk__in=Skill.offered_by.through.objects.filter(skill=skill).values("participant"))
            | Q(pk__in=Skill.wanted_by.through.objects.filter(skill=skill).values("participant"))
        )
    ordered_skills = Skill.objects.order_by("name")
    return (
        participants.select_related("manager", "invitation")
        .prefetch_related(
            Prefetch("skills_offered", queryset=ordered_skills),
            Prefetch("skills_wanted", queryset=ordered_skills),
        )
        .order_by("last_name", "first_name", "email")
    )


def skills_with_usage(*, programme: Programme) -> QuerySet[Skill]:
    return programme.skills.annotate(
        offered_count=Count("offered_by", distinct=True),
        wanted_count=Count("wanted_by", distinct=True),
    ).order_by("name")


# --- self-nomination -------------------------------------------------------------------------
def applications_for_admin(*, programme: Programme, status: str) -> QuerySet[Application]:
    """The programme's applications in ``status``, oldest first, with what the queue shows."""
    ordered_skills = Skill.objects.order_by("name")
    return (
        Application.objects.filter(programme=programme, status=status)
        .select_related("user", "cohort", "decided_by", "participant")
        .prefetch_related(
            Prefetch("skills_offered", queryset=ordered_skills),
            Prefetch("skills_wanted", queryset=ordered_skills),
        )
        .order_by("created_at", "pk")
    )


def application_counts(*, programme: Programme) -> dict[str, int]:
    """Applications per status (every status present, zeros included)."""
    rows = dict(
        Application.objects.filter(programme=programme)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: rows.get(status, 0) for status in Application.Status.values}


def nomination_links_for_admin(*, programme: Programme) -> list[NominationLink]:
    """The programme's sign-up links: the whole-programme one first, then by cohort."""
    links = NominationLink.objects.filter(programme=programme).select_related("cohort")
    return sorted(links, key=lambda link: (link.cohort_id is not None, link.cohort_id or 0))


def my_applications(*, user: User) -> QuerySet[Application]:
    """The user's own applications, newest first (their status, never anyone's reasons)."""
    return (
        Application.objects.filter(user=user)
        .select_related("programme", "cohort", "participant")
        .order_by("-created_at", "-pk")
    )


def my_participations(*, user: User) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(user=user)
        .select_related("cohort__programme")
        .prefetch_related("skills_offered", "skills_wanted")
        .order_by("-cohort__starts_on", "pk")
    )


def programme_paired_count(*, programme: Programme) -> int:
    """How many participants closing the programme would mark completed."""
    return Participant.objects.filter(cohort__programme=programme, status=Status.PAIRED).count()


# --- the audit trail, in words --------------------------------------------------------------
@dataclass(frozen=True)
class RecentChange:
    when: object  # datetime
    who: str
    what: str


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def field_label(name: str) -> str:
    """A participant field as the pages name it (``seniority`` is "level")."""
    return "level" if name == "seniority" else name.replace("_", " ")


def _person(detail: dict) -> str:
    name, email = detail.get("name"), detail.get("email")
    return f"{name} ({email})" if name and name != email else str(email)


def audit_describe(event: AuditEvent) -> str:
    d = event.detail or {}
    role_label = {"admin": "programme admin", "hr": "HR viewer"}
    status_label = dict(Programme.Status.choices)
    match event.action:
        case "programme.created":
            return "created the programme"
        case "programme.updated":
            fields = [f.replace("_", " ") for f in d.get("fields", [])]
            return "changed the settings" + (f" ({', '.join(fields)})" if fields else "")
        case "programme.status_changed":
            return (
                f"moved the programme from {status_label.get(d.get('previous'), '?')} "
                f"to {status_label.get(d.get('status'), '?')}"
            )
        case "cohort.created":
            return f"added the cohort “{d.get('cohort')}”"
        case "cohort.updated":
            return f"edited the cohort “{d.get('cohort')}”"
        case "participant.invited":
            return f"invited {d.get('email')} to “{d.get('cohort')}”"
        case "invitation.resent":
            return f"sent a new invitation to {d.get('email')}"
        case "import.applied":
            text = f"imported {d.get('rows', 0)} participants into “{d.get('cohort')}”"
            if d.get("file"):
                text += f" from {d['file']}"
            if d.get("updated"):
                fields = ", ".join(d.get("updated_fields", []))
                text += f", updated {d['updated']}" + (f" ({fields})" if fields else "")
            if d.get("skipped"):
                n = d["skipped"]
                text += f", skipped {n} row{'s' if n != 1 else ''} with errors"
            if d.get("skills_added"):
                text += f" and added the skills {_quoted(d['skills_added'])}"
            return text
        case "participant.updated":
            fields = ", ".join(field_label(f) for f in d.get("fields", []))
            return f"edited {_person(d)} ({fields})"
        case "participant.moved":
            return f"moved {_person(d)} from “{d.get('previous')}” to “{d.get('cohort')}”"
        case "participant.withdrawn_by_admin":
            return f"withdrew {_person(d)} from “{d.get('cohort')}”"
        case "application.submitted":
            return "applied to join the programme"
        case "application.approved":
            return f"approved the application of {_person(d)} into “{d.get('cohort')}”"
        case "application.declined":
            return f"declined the application of {_person(d)}"
        case "nomination_link.enabled":
            where = f"cohort “{d['cohort']}”" if d.get("cohort") else "the programme"
            return f"published a sign-up link for {where}"
        case "nomination_link.disabled":
            where = f"cohort “{d['cohort']}”" if d.get("cohort") else "the programme"
            return f"switched off the sign-up link for {where}"
        case "role.granted":
            text = f"made {d.get('email')} {role_label.get(d.get('role'), d.get('role'))}"
            return text + (" (they accepted the emailed invitation)" if d.get("via") else "")
        case "staff_invitation.sent":
            role = role_label.get(d.get("role"), d.get("role"))
            return f"invited {d.get('email')} by email to be {role}"
        case "staff_invitation.resent":
            role = role_label.get(d.get("role"), d.get("role"))
            return f"sent a new invitation to {d.get('email')} ({role})"
        case "staff_invitation.revoked":
            role = role_label.get(d.get("role"), d.get("role"))
            return f"revoked the invitation of {d.get('email')} ({role})"
        case "role.revoked":
            return f"removed {d.get('email')} as {role_label.get(d.get('role'), d.get('role'))}"
        case "skill.added":
            return f"added the skill “{d.get('skill')}”"
        case "skill.merged":
            return f"merged {_quoted(d.get('merged', []))} into “{d.get('skill')}”"
        case "participant.withdrew":
            return f"withdrew from “{d.get('cohort')}”"
        # Written by the pairing app.
        case "pairing.run_started":
            return "started a pairing run"
        case "pairing.pair_proposed_by_hand":
            return "proposed a pair by hand"
        case "pairing.pair_locked":
            return "locked a proposed pair"
        case "pairing.pair_unlocked":
            return "unlocked a proposed pair"
        case "pairing.pairs_swapped":
            return "swapped partners between proposed pairs"
        case "pairing.pair_excluded":
            return "rejected a proposed pair (they will not be proposed again)"
        case "pairing.pairs_published":
            count = d.get("count", 0)
            return f"published {count} pair{'s' if count != 1 else ''}"
        case "pairing.pair_ended_early":
            return "ended their pair early"
        case _:
            return event.action.replace(".", " ").replace("_", " ")


def _described(events) -> list[RecentChange]:
    return [
        RecentChange(
            when=event.created_at,
            who=event.actor.display_name if event.actor else "System",
            what=audit_describe(event),
        )
        for event in events
    ]


def recent_changes(*, programme: Programme, limit: int = 10) -> list[RecentChange]:
    events = programme.audit_events.select_related("actor").order_by("-created_at", "-pk")[:limit]
    return _described(events)


def participant_history(*, participant: Participant, limit: int = 20) -> list[RecentChange]:
    """The audited changes to one participant (edits, moves, withdrawal), newest first."""
    events = (
        AuditEvent.objects.filter(
            programme_id=participant.cohort.programme_id, detail__participant=participant.pk
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    return _described(events)
