"""Invitations for programme admins and HR viewers who have no account yet.

Like a participant's invitation, only the SHA-256 of the emailed link's token is stored;
one open (not accepted, not revoked) invitation per programme, address and role.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import mentoring.tokens
import programmes.models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_invitation_token_hash"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffInvitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(help_text="Stored in lower case.", max_length=254)),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Programme admin"), ("hr", "HR viewer")], max_length=10
                    ),
                ),
                (
                    "token_hash",
                    models.CharField(
                        default=mentoring.tokens.unissued_digest,
                        editable=False,
                        help_text="SHA-256 (hex) of the emailed link's token.",
                        max_length=64,
                        unique=True,
                    ),
                ),
                (
                    "expires_at",
                    models.DateTimeField(default=programmes.models.staff_invitation_expiry),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invited_by",
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
                        related_name="staff_invitations",
                        to="programmes.programme",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        fields=["programme", "accepted_at", "revoked_at"],
                        name="programmes__program_a54cf2_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("accepted_at__isnull", True), ("revoked_at__isnull", True)
                        ),
                        fields=("programme", "email", "role"),
                        name="staff_invitation_open_unique",
                    )
                ],
            },
        ),
    ]
