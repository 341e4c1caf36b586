"""Django admin for site administrators: the case review register and its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casereviews.models import (
    CaseReviewApplication,
    CaseReviewPublication,
    CaseReviewSettings,
    Recommendation,
)
from cspportal.lib.admin import StrictFields


class RecommendationInline(StrictFields, admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["owner", "text", "action"]
    raw_id_fields = ["action"]


@admin.register(CaseReviewApplication)
class CaseReviewApplicationAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["reference", "partnership", "received_on", "threshold_met", "reviewed_on"]
    list_filter = ["threshold_met", "partnership"]
    search_fields = ["reference"]
    inlines = [RecommendationInline]


@admin.register(CaseReviewSettings)
class CaseReviewSettingsAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["partnership", "threshold_days", "review_days", "outcome_days"]


@admin.register(CaseReviewPublication)
class CaseReviewPublicationAdmin(admin.ModelAdmin):
    list_display = ["partnership", "financial_year", "published_at", "published_by"]
    readonly_fields = [f.name for f in CaseReviewPublication._meta.fields]
