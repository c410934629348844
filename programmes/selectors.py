"""Reads for the programme pages, already scoped and annotated (a constant number of queries)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from mentoring.models import User

from .models import AuditEvent, Cohort, Participant, Programme, Skill
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


def my_participations(*, user: User) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(user=user)
        .select_related("cohort__programme")
        .prefetch_related("skills_offered", "skills_wanted")
        .order_by("-cohort__starts_on", "pk")
    )


# --- the audit trail, in words --------------------------------------------------------------
@dataclass(frozen=True)
class RecentChange:
    when: object  # datetime
    who: str
    what: str


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


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
            if d.get("skills_added"):
                text += f" and added the skills {_quoted(d['skills_added'])}"
            return text
        case "role.granted":
            return f"made {d.get('email')} {role_label.get(d.get('role'), d.get('role'))}"
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


def recent_changes(*, programme: Programme, limit: int = 10) -> list[RecentChange]:
    events = programme.audit_events.select_related("actor").order_by("-created_at", "-pk")[:limit]
    return [
        RecentChange(
            when=event.created_at,
            who=event.actor.display_name if event.actor else "System",
            what=audit_describe(event),
        )
        for event in events
    ]
