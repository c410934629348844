"""Self-nomination: sign-up links and applications; who withdrew a participant."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import mentoring.models
import programmes.nomination_models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_staff_invitations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="withdrawn_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="Application",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_name", models.CharField(max_length=150)),
                ("last_name", models.CharField(max_length=150)),
                ("department", models.CharField(max_length=120)),
                ("job_title", models.CharField(max_length=160)),
                ("location", models.CharField(max_length=120)),
                (
                    "time_zone",
                    models.CharField(
                        choices=mentoring.models.time_zone_choices, default="UTC", max_length=64
                    ),
                ),
                (
                    "seniority",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(10),
                        ],
                    ),
                ),
                ("motivation", models.TextField(max_length=1500)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("approved", "Approved"),
                            ("declined", "Declined"),
                        ],
                        default="new",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_message", models.TextField(blank=True)),
                ("decision_emailed_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        help_text="The cohort the sign-up link was for (the admin may choose another).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="applications",
                        to="programmes.cohort",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "participant",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="application",
                        to="programmes.participant",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applications",
                        to="programmes.programme",
                    ),
                ),
                (
                    "skills_offered",
                    models.ManyToManyField(blank=True, related_name="+", to="programmes.skill"),
                ),
                (
                    "skills_wanted",
                    models.ManyToManyField(blank=True, related_name="+", to="programmes.skill"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="applications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "indexes": [
                    models.Index(
                        fields=["programme", "status", "created_at"], name="application_queue_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "user"), name="application_one_per_user"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="NominationLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=programmes.nomination_models.nomination_token,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: applicants join the cohort the admin picks when approving.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nomination_links",
                        to="programmes.cohort",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nomination_links",
                        to="programmes.programme",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cohort__isnull", True)),
                        fields=("programme",),
                        name="nomination_link_one_per_programme",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("cohort__isnull", False)),
                        fields=("cohort",),
                        name="nomination_link_one_per_cohort",
                    ),
                ],
            },
        ),
    ]
