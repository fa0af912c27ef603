"""The Django admin for the registry: administrators edit the taxonomy and organisations here.

Dossiers are shown read-only: they change only through moderation (registry.actions), so
that every change is a revision with a moderator who vouched for it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Commune,
    Department,
    Dossier,
    Event,
    Organisation,
    OrganisationLink,
    Region,
    Revision,
    Source,
    Technology,
)


class ReadOnlyMixin:
    """For records with their own write path (moderation, importers): look, never edit here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "department", "kind", "population"]
    list_filter = ["kind", "department__region", "department"]
    search_fields = ["name", "search_name", "insee", "postal_codes"]
    list_select_related = ["department"]
    raw_id_fields = ["parent"]
    show_full_result_count = False  # 35,000 rows: skip the second COUNT on every search


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fr", "name_en", "aliases"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "position", "aliases"]}),
        (_("French"), {"fields": ["name_fr", "summary_fr", "stakes_fr"]}),
        (_("English"), {"fields": ["name_en", "summary_en", "stakes_en"]}),
    ]


class LinkInline(admin.TabularInline):
    model = OrganisationLink
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = ["relation", "object", "source_url", "other_sources", "dataset"]
    verbose_name_plural = _("links from this organisation")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "dataset", "disputed", "last_checked"]
    list_filter = ["kind", "disputed", "technologies", "dataset"]
    search_fields = ["name", "search_text", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["commune"]
    filter_horizontal = ["technologies"]
    list_select_related = ["commune__department"]
    inlines = [LinkInline]


@admin.register(OrganisationLink)
class OrganisationLinkAdmin(admin.ModelAdmin):
    list_display = ["subject", "relation", "object", "source_url"]
    list_filter = ["relation", "dataset"]
    search_fields = ["subject__name", "object__name", "source_url"]
    autocomplete_fields = ["subject", "object"]
    list_select_related = ["subject", "object"]


class SourceInline(ReadOnlyMixin, admin.TabularInline):
    model = Source
    extra = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    extra = 0


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "status", "is_example", "disputed", "vouched_by", "last_checked", "updated_at"]
    list_filter = ["status", "is_example", "disputed", "is_national", "technologies"]
    search_fields = ["title", "search_text"]
    date_hierarchy = "updated_at"
    inlines = [SourceInline, EventInline]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["dossier", "number", "created_at", "moderator", "summary"]
    list_filter = ["created_at"]
    search_fields = ["dossier__title", "summary"]
    list_select_related = ["dossier", "moderator"]
