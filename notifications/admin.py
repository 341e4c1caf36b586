from django.contrib import admin

from cspportal.lib.admin import StrictFields
from notifications.models import Delivery, EmailPreference, Notification


@admin.register(Delivery)
class DeliveryAdmin(StrictFields, admin.ModelAdmin):
    list_display = ["subject", "email", "status", "claimed_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "reason_key"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(Notification)
class NotificationAdmin(StrictFields, admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at"]
    search_fields = ["user__email", "reason_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(StrictFields, admin.ModelAdmin):
    list_display = ["user", "frequency"]
    search_fields = ["user__email"]
