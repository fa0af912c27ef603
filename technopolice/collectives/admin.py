"""The Django admin for collectives: administrators list, filter and fix them (unlist one, mark it
dormant, give one left without organiser a new one).

Members appear by their public name only: no address is shown here, as nowhere else.
Collectives are listed through the moderation queue; the admin does not create them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .actions import forget_activity, record_listed
from .models import Collective, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "status", "requested_at", "joined_at"]
    readonly_fields = ["user", "requested_at", "joined_at"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # people ask to join on the site; their account is never chosen for them


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "is_dormant", "is_example", "listed_at", "created_at"]
    list_filter = ["status", "is_dormant", "is_example"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug", "created_at", "listed_at", "updated_at"]
    autocomplete_fields = ["communes", "departments"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "founded_on", "logo"]}),
        (_("Places"), {"fields": ["communes", "departments"]}),
        (_("Contact"), {"fields": ["website", "mastodon", "matrix", "signal", "accepts_messages"]}),
        (
            _("State"),
            {"fields": ["status", "is_dormant", "is_example", "created_at", "listed_at", "updated_at"]},
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def save_related(self, request, form, formsets, change) -> None:
        # After the places are saved: a collective listed here is announced to the places it covers.
        super().save_related(request, form, formsets, change)
        if "status" in form.changed_data:
            if form.instance.is_listed:
                record_listed(form.instance)
            else:
                forget_activity(form.instance)
