"""Back-office views of cameras: read mostly, since imports and moderation write them."""

from django.contrib import admin

from .models import Boundary, Camera, CameraDataset


@admin.register(CameraDataset)
class CameraDatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "licence", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    list_display = ["__str__", "surveillance_type", "zone", "operator", "commune", "removed_at"]
    list_filter = ["dataset", "surveillance_type", "zone", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["external_id", "operator"]
    raw_id_fields = ["commune"]
    list_select_related = ["dataset", "commune"]
    readonly_fields = ["x", "y", "first_seen", "updated_at"]


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    list_display = ["commune", "source", "imported_at"]
    search_fields = ["commune__name", "commune__insee"]
    raw_id_fields = ["commune"]
    exclude = ["geometry"]  # thousands of coordinates: not for a form
