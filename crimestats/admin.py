"""Django admin for site administrators: the measure catalogue, and read-mostly views
of returns, figures and imports (figures change through returns, never here)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from crimestats.models import (
    DataReturn,
    GeographyLookup,
    ImportBatch,
    Measure,
    Observation,
    PartnershipMeasure,
    PeerGroup,
)
from cspportal.lib.admin import StrictFields, StrictModelAdmin


@admin.register(Measure)
class MeasureAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["name", "code", "group", "kind", "unit", "polarity", "aggregation", "is_active"]
    list_filter = ["group", "kind", "unit", "frequency", "is_active"]
    search_fields = ["name", "code", "ons_offence_group", "policeuk_crime_type"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are how importers and dashboards find a measure: fixed once created.
        return ["code"] if obj is not None else []


@admin.register(PartnershipMeasure)
class PartnershipMeasureAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["measure", "partnership", "supplier", "is_headline"]
    list_filter = ["partnership"]
    autocomplete_fields = ["measure"]


@admin.register(DataReturn)
class DataReturnAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["partnership", "organisation", "period_type", "period_start", "status"]
    list_filter = ["status", "period_type", "partnership"]
    readonly_fields = [
        "version",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
    ]


@admin.register(Observation)
class ObservationAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = [
        "measure",
        "partnership",
        "area",
        "period_type",
        "period_start",
        "value",
        "status",
        "revision",
        "is_approved",
    ]
    list_filter = ["partnership", "period_type", "status", "source", "is_approved"]
    list_select_related = ["measure", "partnership", "area"]
    search_fields = ["measure__name", "measure__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(StrictFields, admin.ModelAdmin):
    list_display = ["file_name", "format", "partnership", "status", "rows_read", "created_at"]
    list_filter = ["format", "status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


admin.site.register([GeographyLookup, PeerGroup], StrictModelAdmin)
