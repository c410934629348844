"""Cohorts: the intakes of a programme."""

import datetime as dt

from django.db import transaction

from mentoring.models import User
from programmes.models import Cohort, Programme

from .audit import audit_record


@transaction.atomic
def cohort_create(
    *, programme: Programme, by: User, name: str, starts_on: dt.date, ends_on: dt.date
) -> Cohort:
    cohort = Cohort(programme=programme, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    cohort.full_clean()
    cohort.save()
    audit_record(programme=programme, actor=by, action="cohort.created", cohort=cohort.name)
    return cohort


@transaction.atomic
def cohort_update(
    *, cohort: Cohort, by: User, name: str, starts_on: dt.date, ends_on: dt.date
) -> Cohort:
    previous = cohort.name
    cohort.name, cohort.starts_on, cohort.ends_on = name.strip(), starts_on, ends_on
    cohort.full_clean()
    cohort.save(update_fields=["name", "starts_on", "ends_on"])
    audit_record(
        programme=cohort.programme,
        actor=by,
        action="cohort.updated",
        cohort=cohort.name,
        previous=previous,
    )
    return cohort
