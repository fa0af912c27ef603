"""Staff write campaigns and grievances here. The mandate text is edited on the campaign, and
each change becomes a new, immutable version. Signatories are not listed at all: the export,
behind its own permission and audit log, is the one way to read them."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Campaign, ExportLog, Grievance, MandateVersion


class GrievanceInline(admin.StackedInline):
    model = Grievance
    extra = 1
    filter_horizontal = ["dossiers"]


class MandateVersionInline(admin.TabularInline):
    model = MandateVersion
    extra = 0
    fields = ["number", "content_hash", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CampaignForm(forms.ModelForm):
    mandate_text = forms.CharField(
        label=_("Mandate text"),
        widget=forms.Textarea,
        max_length=50000,
        help_text=_("In Markdown. Changing it creates a new version; earlier signatories keep theirs."),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "summary",
            "argument",
            "authority",
            "filing_organisation",
            "target",
            "opens_at",
            "closes_at",
            "location_required",
            "retention_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.current_mandate() if self.instance.pk else None
        if current:
            self.fields["mandate_text"].initial = current.text


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["title", "opens_at", "closes_at", "withdrawals", "export_link"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GrievanceInline, MandateVersionInline]

    @admin.display(description=_("export"))
    def export_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("complaints:export", args=[obj.slug]), _("export"))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        text = form.cleaned_data["mandate_text"]
        current = obj.current_mandate()
        if current is None or current.text != text:
            MandateVersion.objects.create(
                campaign=obj, number=(current.number + 1) if current else 1, text=text
            )


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only for everyone: the log must say what happened, not what someone preferred."""

    list_display = ["at", "user", "campaign", "grievance", "file_format", "rows"]
    list_filter = ["campaign"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
