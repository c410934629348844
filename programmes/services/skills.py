"""The programme's skill vocabulary: add skills and merge duplicates."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from mentoring.errors import RuleViolation
from mentoring.models import User
from programmes.models import Participant, Programme, Skill

from .audit import audit_record


@transaction.atomic
def skill_create(*, programme: Programme, by: User, name: str) -> Skill:
    name = " ".join(name.split())
    if not name:
        raise RuleViolation({"name": "Give the skill a name."})
    if Skill.objects.filter(programme=programme, name__iexact=name).exists():
        raise RuleViolation({"name": f"“{name}” is already in the vocabulary."})
    try:
        with transaction.atomic():
            skill = Skill.objects.create(programme=programme, name=name)
    except IntegrityError:
        raise RuleViolation({"name": f"“{name}” is already in the vocabulary."}) from None
    audit_record(programme=programme, actor=by, action="skill.added", skill=name)
    return skill


@transaction.atomic
def skill_merge(*, keep: Skill, duplicates: Iterable[Skill], by: User) -> int:
    """Fold ``duplicates`` into ``keep``: every participant keeps the skill once. Returns
    how many participant–skill links moved."""
    duplicates = [s for s in duplicates if s.pk != keep.pk]
    if not duplicates:
        raise RuleViolation("Choose at least one other skill to merge into the one you keep.")
    if any(s.programme_id != keep.programme_id for s in duplicates):
        raise RuleViolation("Skills can only be merged within one programme.")
    duplicate_ids = [s.pk for s in duplicates]
    moved = 0
    for through in (Participant.skills_offered.through, Participant.skills_wanted.through):
        holders = set(
            through.objects.filter(skill_id__in=duplicate_ids).values_list(
                "participant_id", flat=True
            )
        )
        already = set(
            through.objects.filter(skill_id=keep.pk, participant_id__in=holders).values_list(
                "participant_id", flat=True
            )
        )
        through.objects.bulk_create(
            [through(participant_id=pid, skill_id=keep.pk) for pid in holders - already]
        )
        moved += len(holders - already)
        through.objects.filter(skill_id__in=duplicate_ids).delete()
    names = [s.name for s in duplicates]
    Skill.objects.filter(pk__in=duplicate_ids).delete()
    audit_record(
        programme=keep.programme, actor=by, action="skill.merged", skill=keep.name, merged=names
    )
    return moved
