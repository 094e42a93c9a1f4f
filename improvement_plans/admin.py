from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, ReminderSent


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "submitted_on", "accepted_on"]
    list_select_related = ["inspection__authority"]
    search_fields = ["inspection__authority__name"]
    readonly_fields = ["version"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "area_for_improvement", "owner", "due_date", "status"]
    list_filter = ["status", "area_for_improvement__inspection__authority"]
    search_fields = ["description", "owner"]
    list_select_related = ["area_for_improvement"]
    raw_id_fields = ["area_for_improvement"]
    readonly_fields = ["version"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["area_for_improvement", "month", "rag", "status", "author", "reviewed_by"]
    list_filter = ["rag", "status", "area_for_improvement__inspection__authority"]
    date_hierarchy = "month"
    list_select_related = ["area_for_improvement", "author", "reviewed_by"]
    raw_id_fields = ["area_for_improvement"]
    readonly_fields = ["version"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "month", "created_at"]
    list_filter = ["kind", "month"]
