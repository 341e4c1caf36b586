"""Django admin for site administrators only: users, roles, partnerships."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import UserAdmin
from accounts.models import User
from cspportal.lib.admin import StrictFields
from partnerships.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipRole,
    Priority,
    ThematicGroup,
)


class PartnershipRoleInline(StrictFields, admin.TabularInline):
    model = PartnershipRole
    extra = 0
    autocomplete_fields = ["partnership", "organisation"]
    fk_name = "user"


class AreaInline(StrictFields, admin.TabularInline):
    model = Area
    extra = 0


class MembershipInline(StrictFields, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class RoleInPartnershipInline(StrictFields, admin.TabularInline):
    model = PartnershipRole
    extra = 0
    autocomplete_fields = ["user", "organisation"]
    fk_name = "partnership"


@admin.register(Partnership)
class PartnershipAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["name", "gss_code", "gss_vintage", "lead_council", "is_reference"]
    list_filter = ["is_reference"]
    search_fields = ["name", "gss_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaInline, MembershipInline, RoleInPartnershipInline]


@admin.register(Organisation)
class OrganisationAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["name", "type"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(StrictFields, SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "organisation"]
    list_filter = ["role", "partnership"]
    search_fields = ["user__email", "partnership__name"]
    autocomplete_fields = ["user", "partnership", "organisation"]


class HistoryAdmin(StrictFields, SimpleHistoryAdmin):
    pass


admin.site.register([ThematicGroup, Priority], HistoryAdmin)
admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal administration"


# The user page shows each user's partnership roles. Accounts sits below partnerships
# and cannot know about roles, so this app swaps in the user admin with the roles inline.
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [PartnershipRoleInline]
