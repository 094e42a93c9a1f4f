from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import LocalAuthority, Membership


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
