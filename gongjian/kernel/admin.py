"""The Django admin, for superusers only and not at /admin/ (Z-03). The audit table is not here:
only the auditor reads it, in the console."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Organization, Position, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "kind", "region"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "title", "person", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organization"]
