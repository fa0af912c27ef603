from django.contrib import admin

from .models import Document, Page


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["number", "method", "text"]
    readonly_fields = ["number", "method", "text"]
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Metadata is editable; the file itself is not (it is the cleaned, hashed content)."""

    list_display = [
        "title",
        "kind",
        "date",
        "issuer",
        "file_type",
        "page_count",
        "extraction_status",
        "published_at",
    ]
    list_filter = ["kind", "file_type", "extraction_status", "is_leak"]
    search_fields = ["title", "sha256"]
    raw_id_fields = ["issuer", "dossiers"]
    readonly_fields = [
        "sha256",
        "file",
        "file_type",
        "size",
        "page_count",
        "extraction_status",
        "is_leak",
        "created_at",
    ]
    inlines = [PageInline]
