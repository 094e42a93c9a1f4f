from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from readiness.models import EngagementMeeting, Evidence, LibraryDocument, ReadinessItem


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    """Read-only: a file is added through the service's upload check, never here."""

    list_display = ["title", "authority", "document_date", "kind", "size", "added_by"]
    list_filter = ["kind", "authority"]
    search_fields = ["title", "file_name"]
    list_select_related = ["authority", "added_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "owner", "due_date", "review_date"]
    list_filter = ["authority"]
    search_fields = ["title", "owner"]
    readonly_fields = ["version"]


@admin.register(ReadinessItem)
class ReadinessItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "owner", "state", "due_date"]
    list_filter = ["state", "authority"]
    readonly_fields = ["version"]


@admin.register(EngagementMeeting)
class EngagementMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["inspection"]
    readonly_fields = ["version"]
