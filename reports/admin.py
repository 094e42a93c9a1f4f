from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import CommitteeReport, ReportProfile, ReportSection, WordTemplate


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ["order", "key", "heading", "edited"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CommitteeReport)
class CommitteeReportAdmin(SimpleHistoryAdmin):
    """Read-only here: reports are written through the service's pages, which keep drafts'
    sections consistent and never change a final report."""

    list_display = ["title", "authority", "committee", "meeting_date", "status", "revision"]
    list_filter = ["status", "kind", "authority"]
    search_fields = ["title", "committee", "authority__name"]
    inlines = [ReportSectionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WordTemplate)
class WordTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["authority", "file_name", "uploaded_by", "updated_at"]
    exclude = ["content"]
    readonly_fields = ["authority", "file_name", "uploaded_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ReportProfile)
class ReportProfileAdmin(SimpleHistoryAdmin):
    """Read-only here: the profile page (reports:profile_edit) checks each list's shape and
    keeps the version."""

    list_display = ["authority", "committee", "font_name", "font_size", "version", "updated_at"]
    search_fields = ["authority__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
