"""Django admin for site administrators: meetings, resolutions and their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cspportal.lib.admin import StrictFields
from meetings.models import AgendaItem, Meeting, Resolution, ResolutionResponse


class AgendaItemInline(StrictFields, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "paper_link", "paper_file"]


@admin.register(Meeting)
class MeetingAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["title", "partnership", "body", "date", "start_time"]
    list_filter = ["body", "partnership"]
    search_fields = ["title", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["organisations"]
    inlines = [AgendaItemInline]


class ResolutionResponseInline(StrictFields, admin.TabularInline):
    model = ResolutionResponse
    extra = 0
    fields = ["responded_on", "organisation", "text", "new_status", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(Resolution)
class ResolutionAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["__str__", "status", "owner", "report_back_date"]
    list_filter = ["status", "meeting__partnership"]
    search_fields = ["text"]
    list_select_related = ["meeting", "agenda_item", "owner"]
    raw_id_fields = ["meeting", "agenda_item", "report_back_meeting", "action"]
    inlines = [ResolutionResponseInline]
