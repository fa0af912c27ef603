from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "commune", "collective", "is_cancelled", "is_example"]
    list_filter = ["kind", "is_cancelled", "is_example", "starts_at"]
    search_fields = ["title", "description", "commune__name", "collective__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["commune", "department", "dossier"]
    # The collectives' admin belongs to their app; a raw id works whatever it declares.
    raw_id_fields = ["collective"]
    readonly_fields = ["uid", "created_by", "created_at", "updated_at"]
    list_select_related = ["commune__department", "collective"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
