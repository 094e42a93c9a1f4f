from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ApiToken, LocalAuthority, Membership


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "la_type", "ofsted_urn", "la_code", "gss_code"]
    list_filter = ["region", "la_type"]
    search_fields = ["name", "ofsted_urn", "la_code", "gss_code"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "authority", "role"]
    list_filter = ["role", "authority__region", "authority"]
    search_fields = ["user__username", "user__email", "authority__name"]
    list_select_related = ["user", "authority"]
    autocomplete_fields = ["authority"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens, to see who reads the API and revoke one (set its revoked time): the
    secret is never stored, so it cannot be shown or made here."""

    list_display = [
        "name",
        "user",
        "hint",
        "created_at",
        "expires_on",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["expires_on", "revoked_at"]
    search_fields = ["name", "user__username", "hint"]
    list_select_related = ["user"]
    fields = ["user", "name", "hint", "expires_on", "revoked_at", "last_used_at", "created_at"]
    readonly_fields = ["user", "name", "hint", "expires_on", "last_used_at", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
