"""Public pages: whether a partnership shows them, and each version it published.

A published version holds what the public sees, built once when the manager
publishes (``publishing.content``): later edits to figures, actions or resolutions
change nothing public until the next publish."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from partnerships.models import Partnership


class PublicPages(models.Model):
    """A partnership's public pages switch. Without a row, they are off."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="public_pages"
    )
    is_on = models.BooleanField("public pages on", default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "public pages"
        verbose_name_plural = "public pages"

    def __str__(self) -> str:
        return f"{self.partnership}: public pages {'on' if self.is_on else 'off'}"


class PublishedVersion(models.Model):
    """One publish: numbered from 1 within its partnership, with the period its
    dashboard covers and the public content itself (``content``: each page's HTML
    and each table's rows, see ``publishing.content``)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="published_versions"
    )
    number = models.PositiveIntegerField()
    period_label = models.CharField(
        "period covered", max_length=300, blank=True, help_text="The dashboard's comparison."
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    content = models.JSONField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"],
                name="published_version_unique_number",
                violation_error_message="This partnership already has a version with this number.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1),
                name="published_version_number_positive",
                violation_error_message="Versions are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: version {self.number}"
