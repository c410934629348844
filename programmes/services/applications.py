"""Self-nomination: a programme's sign-up link, the applications sent through it, and the
admins' decisions.

An admin publishes a sign-up link for the programme (the approving admin picks the cohort)
or for one cohort; switching it off deletes it, and switching it on again makes a new,
unguessable link. A signed-in colleague applies once per programme with their profile,
the skills they offer and want, and why they want to join (read by the programme's admins
only). An admin approves — the applicant becomes an invited participant of the chosen
cohort with their account already linked, so they go on to sign the charter and complete
the profile as every invitee does — or declines, with an optional message. The applicant
is emailed the decision (a task, after commit) and sees it on their home page.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentoring.errors import RuleViolation
from mentoring.models import User
from mentoring.outbox import enqueue
from programmes.models import (
    MOTIVATION_MAX_LENGTH,
    Application,
    Cohort,
    NominationLink,
    Participant,
    Programme,
    Skill,
)

from .audit import audit_record
from .participants import (
    JOINABLE,
    invitation_accept,
    participant_invite,
    participant_invite_check,
)

DECISION_EMAIL_TASK = "programmes.tasks.application_decision_email_task"
DECISION_MESSAGE_MAX_LENGTH = 2000
AppStatus = Application.Status


# --- the sign-up link -------------------------------------------------------------------------
def _where(link: NominationLink) -> dict:
    return {"cohort": link.cohort.name if link.cohort_id else ""}


@transaction.atomic
def nomination_link_enable(
    *, programme: Programme, cohort: Cohort | None, by: User
) -> NominationLink:
    """Publish a sign-up link for ``cohort`` (or, with ``None``, the whole programme).

    Idempotent: an existing link is returned as it is.
    """
    if programme.status == Programme.Status.CLOSED:
        raise RuleViolation("This programme is closed; nobody can apply any more.")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise RuleViolation({"cohort": "Choose a cohort of this programme."})
    try:
        with transaction.atomic():
            link, created = NominationLink.objects.get_or_create(
                programme=programme, cohort=cohort, defaults={"created_by": by}
            )
    except IntegrityError:  # another admin switched it on at the same moment
        return NominationLink.objects.get(programme=programme, cohort=cohort)
    if created:
        audit_record(
            programme=programme, actor=by, action="nomination_link.enabled", **_where(link)
        )
    return link


@transaction.atomic
def nomination_link_disable(*, link: NominationLink, by: User) -> None:
    """Switch the link off: it stops working for good (switching on again makes a new one).
    Applications already sent stay in the queue."""
    detail = _where(link)
    deleted, _ = NominationLink.objects.filter(pk=link.pk).delete()
    if deleted:
        audit_record(
            programme=link.programme, actor=by, action="nomination_link.disabled", **detail
        )


def nomination_link_get_by_token(*, token: str) -> NominationLink | None:
    return NominationLink.objects.select_related("programme", "cohort").filter(token=token).first()


def nomination_url(*, link: NominationLink, base_url: str) -> str:
    path = reverse("programmes:apply", kwargs={"token": link.token})
    return base_url.rstrip("/") + path


# --- applying ---------------------------------------------------------------------------------
def application_refusal(*, programme: Programme, user: User) -> str:
    """Why ``user`` cannot apply to ``programme`` (in words for them), or ""."""
    if programme.status == Programme.Status.CLOSED:
        return "This programme is closed; it no longer takes applications."
    existing = Application.objects.filter(programme=programme, user=user).first()
    if existing is not None:
        return {
            AppStatus.NEW: "You have already applied; the programme admins will let you know.",
            AppStatus.APPROVED: "You have already applied and were accepted.",
            AppStatus.DECLINED: "You have already applied, and this programme declined the "
            "application. One application per person per programme.",
        }[existing.status]
    if Participant.objects.filter(
        Q(user=user) | Q(email__iexact=user.email), cohort__programme=programme
    ).exists():
        return (
            "You are already part of this programme (or invited to it: look for the "
            "invitation email)."
        )
    return ""


def application_submit(
    *,
    link: NominationLink,
    user: User,
    first_name: str,
    last_name: str,
    department: str,
    job_title: str,
    location: str,
    time_zone: str,
    seniority: int | None,
    skills_offered: Iterable[Skill],
    skills_wanted: Iterable[Skill],
    motivation: str,
) -> Application:
    """Send ``user``'s application through ``link``; one per person per programme."""
    programme = link.programme
    motivation = motivation.strip()
    if not motivation:
        raise RuleViolation({"motivation": "Say in a few sentences why you want to join."})
    if len(motivation) > MOTIVATION_MAX_LENGTH:
        raise RuleViolation({"motivation": f"Keep it under {MOTIVATION_MAX_LENGTH} characters."})
    with transaction.atomic():
        refusal = application_refusal(programme=programme, user=user)
        if refusal:
            raise RuleViolation(refusal)
        application = Application(
            programme=programme,
            cohort=link.cohort,
            user=user,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            department=department.strip(),
            job_title=job_title.strip(),
            location=location.strip(),
            time_zone=time_zone or "UTC",
            seniority=seniority,
            motivation=motivation,
        )
        application.full_clean(exclude=["user", "programme", "cohort"])
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # a second submit racing the first
            raise RuleViolation("You have already applied to this programme.") from None
        allowed = set(programme.skills.values_list("pk", flat=True))
        application.skills_offered.set([s for s in skills_offered if s.pk in allowed])
        application.skills_wanted.set([s for s in skills_wanted if s.pk in allowed])
        # The audit trail names the applicant, never their reasons.
        audit_record(
            programme=programme,
            actor=user,
            action="application.submitted",
            application=application.pk,
        )
    return application


# --- deciding ---------------------------------------------------------------------------------
def _locked(application: Application) -> Application:
    current = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "user")
        .get(pk=application.pk)
    )
    if current.status != AppStatus.NEW:
        raise RuleViolation(f"This application was already {current.get_status_display().lower()}.")
    return current


def _decided(application: Application, *, by: User, action: str, **detail) -> None:
    audit_record(
        programme=application.programme,
        actor=by,
        action=action,
        application=application.pk,
        email=application.user.email,
        name=application.display_name,
        **detail,
    )


def application_approve(
    *, application: Application, cohort: Cohort, by: User, base_url: str
) -> Participant:
    """Enrol the applicant in ``cohort`` as an invitee whose account is already linked.

    They then sign the charter and complete the profile (pre-filled from the application)
    as every invitee does. Refused outside enrolment (invitees can only join then) and when
    the person is already in the programme. The decision email goes out after commit.
    """
    with transaction.atomic():
        application = _locked(application)
        programme = application.programme
        if cohort.programme_id != programme.pk:
            raise RuleViolation({"cohort": "Choose a cohort of this programme."})
        if programme.status not in JOINABLE:
            raise RuleViolation(
                "Approved applicants join as invitees do, which is possible only while the "
                "programme is enrolling, matching or running"
                + (": open enrolment first." if programme.status == Programme.Status.DRAFT else ".")
            )
        user = application.user
        cells = {
            "email": user.email,
            "first_name": application.first_name,
            "last_name": application.last_name,
            "department": application.department,
            "location": application.location,
            "job_title": application.job_title,
            "seniority": "" if application.seniority is None else str(application.seniority),
            "manager_email": "",
            "time_zone": application.time_zone,
            "skills_offered": "",
            "skills_wanted": "",
        }
        problems = [
            p.message for p in participant_invite_check(cohort=cohort, cells=cells) if p.blocking
        ]
        if problems:
            raise RuleViolation(" ".join(problems))
        participant = participant_invite(
            cohort=cohort,
            by=by,
            base_url=base_url,
            email=user.email,
            first_name=application.first_name,
            last_name=application.last_name,
            department=application.department,
            location=application.location,
            job_title=application.job_title,
            seniority=application.seniority,
            time_zone=application.time_zone,
            skills_offered=list(application.skills_offered.all()),
            skills_wanted=list(application.skills_wanted.all()),
            notify=False,  # no invitation email: the account is linked right here
        )
        participant = invitation_accept(invitation=participant.invitation, user=user)
        application.status = AppStatus.APPROVED
        application.cohort = cohort
        application.participant = participant
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(
            update_fields=["status", "cohort", "participant", "decided_at", "decided_by"]
        )
        _decided(application, by=by, action="application.approved", cohort=cohort.name)
        enqueue(DECISION_EMAIL_TASK, application.pk, base_url)
    return participant


def application_decline(
    *, application: Application, by: User, message: str, base_url: str
) -> Application:
    """Decline, with an optional message the applicant reads in the decision email."""
    message = message.strip()
    if len(message) > DECISION_MESSAGE_MAX_LENGTH:
        raise RuleViolation(
            {"message": f"Keep the message under {DECISION_MESSAGE_MAX_LENGTH} characters."}
        )
    with transaction.atomic():
        application = _locked(application)
        application.status = AppStatus.DECLINED
        application.decision_message = message
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save(update_fields=["status", "decision_message", "decided_at", "decided_by"])
        _decided(application, by=by, action="application.declined")
        enqueue(DECISION_EMAIL_TASK, application.pk, base_url)
    return application


def application_decision_email(*, application_id: int, base_url: str) -> int:
    """Email the applicant the decision, once (1 if sent, 0 if nothing to send).

    Idempotent: the application is claimed under a row lock and ``decision_emailed_at``
    marks it sent, so a retried or duplicated task sends nothing twice; a vanished or
    undecided application sends nothing.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("programme", "user", "cohort", "participant")
            .filter(pk=application_id)
            .first()
        )
        if application is None or application.decision_emailed_at is not None:
            return 0
        if application.status == AppStatus.NEW:
            return 0
        approved = application.status == AppStatus.APPROVED
        next_url = ""
        if approved and application.participant_id:
            next_url = base_url.rstrip("/") + reverse(
                "programmes:charter", kwargs={"participant_id": application.participant_id}
            )
        context = {
            "application": application,
            "programme": application.programme,
            "approved": approved,
            "next_url": next_url,
            "home_url": base_url.rstrip("/") + reverse("home"),
        }
        name = "application_approved" if approved else "application_declined"
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        EmailMessage(
            subject=subject,
            body=render_to_string(f"emails/{name}_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[application.user.email],
        ).send()
        application.decision_emailed_at = timezone.now()
        application.save(update_fields=["decision_emailed_at"])
    return 1
