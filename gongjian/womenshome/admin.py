"""The Django admin (superusers only, not at /admin/): read-mostly views for support staff."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Honour, HonourQuota, Team, WomensHome


@admin.register(WomensHome)
class WomensHomeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "status", "established_on"]
    list_filter = ["status"]
    raw_id_fields = ["organization"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "kind", "is_active"]
    raw_id_fields = ["organization"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "kind", "date", "is_public"]
    list_filter = ["kind"]
    raw_id_fields = ["organization", "site", "team", "created_by"]


@admin.register(Honour)
class HonourAdmin(SimpleHistoryAdmin):
    list_display = ["public_name", "kind", "year", "state", "organization"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["organization", "quota_organization", "person", "nominated_by"]


@admin.register(HonourQuota)
class HonourQuotaAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "kind", "target", "quota"]
    raw_id_fields = ["organization"]
