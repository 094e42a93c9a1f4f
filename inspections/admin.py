from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Finding, Framework, Inspection, Judgement, JudgementArea


class JudgementAreaInline(admin.TabularInline):
    model = JudgementArea
    extra = 0
    fk_name = "framework"


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "starts_on"]
    inlines = [JudgementAreaInline]


@admin.register(JudgementArea)
class JudgementAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "framework", "order", "parent"]
    list_filter = ["framework"]


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0
    # Ofsted's words are long texts: edited on the judgement's own admin page (or the judgements
    # form), not crammed into a table row.
    fields = ["area", "grade"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = [
        "authority",
        "event_type",
        "framework",
        "start_date",
        "end_date",
        "published_date",
    ]
    list_filter = ["event_type", "framework", "authority__region"]
    search_fields = ["authority__name", "lead_inspector"]
    date_hierarchy = "start_date"
    list_select_related = ["authority", "framework"]
    inlines = [JudgementInline]
    readonly_fields = ["version"]


@admin.register(Judgement)
class JudgementAdmin(SimpleHistoryAdmin):
    list_display = ["inspection", "area", "grade"]
    list_filter = ["grade", "area__framework"]
    list_select_related = ["inspection__authority", "area__framework"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "inspection",
        "judgement_area",
        "national_framework_tag",
        "lead",
    ]
    list_filter = ["kind", "inspection__framework", "inspection__authority__region"]
    search_fields = ["title", "text", "inspection__authority__name"]
    list_select_related = ["inspection__authority", "judgement_area__framework", "lead"]
    raw_id_fields = ["predecessor", "inspection"]
    readonly_fields = ["version"]
