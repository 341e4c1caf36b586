from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actionplans.models import Action, ActionPlan, ActionUpdate, MeasureTarget, Objective
from cspportal.lib.admin import StrictFields


class ObjectiveInline(StrictFields, admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["title", "priority", "thematic_group", "display_order"]


class ActionUpdateInline(StrictFields, admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["financial_year", "quarter", "rag_status", "status", "narrative", "author"]
    raw_id_fields = ["author"]


@admin.register(ActionPlan)
class ActionPlanAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year", "status"]
    list_filter = ["status", "partnership"]
    search_fields = ["title", "partnership__name"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["title", "plan", "priority", "thematic_group"]
    list_select_related = ["plan", "priority", "thematic_group"]
    search_fields = ["title", "plan__title"]


@admin.register(Action)
class ActionAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["title", "objective", "lead_organisation", "due_date", "status", "rag_status"]
    list_filter = ["status", "rag_status", "objective__plan__partnership"]
    list_select_related = ["objective", "lead_organisation"]
    search_fields = ["title", "owner_name"]
    inlines = [ActionUpdateInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["action", "financial_year", "quarter", "rag_status", "author", "created_at"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action", "author"]


@admin.register(MeasureTarget)
class MeasureTargetAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["__str__", "objective", "action"]
    list_select_related = ["measure", "objective", "action"]
    raw_id_fields = ["objective", "action"]
