"""Staff write campaigns and grievances here. The mandate text is edited on the campaign, and
each change becomes a new, immutable version. Signatories are not listed at all: the export,
behind its own permission and audit log, is the one way to read them.

A campaign's life cycle (lifecycle.py) is driven from here: the actions "Publish", "Back to
draft" and "Mark as filed" (on the list and on the campaign's own page) call its verbs and show
what stops them; the form applies the same rules to the status it is given, so a campaign is
never saved public without a grievance, a mandate and a valid public key.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from technopolice.lib import sealing

from . import lifecycle, news
from .models import (
    Campaign,
    CampaignNews,
    CampaignState,
    CampaignStatus,
    ExportLog,
    Grievance,
    MandateVersion,
)

BOTH = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class GrievanceFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """A public campaign without a grievance could not be signed. The parent's submitted
        status is on ``self.instance``: the admin builds the inlines on the form's instance."""
        super().clean()
        if self.instance.status != CampaignStatus.DRAFT and not self._grievances_left():
            raise forms.ValidationError(
                _("A published campaign needs at least one grievance: add one, or keep it as a draft.")
            )

    def _grievances_left(self) -> int:
        """How many grievances the campaign has once saved: those stored and not deleted (a
        submission may leave stored rows out), plus the new ones filled in."""
        deleted = {f.instance.pk for f in self.initial_forms if self._should_delete_form(f)}
        stored = set(self.instance.grievances.values_list("pk", flat=True)) if self.instance.pk else set()
        added = [f for f in self.extra_forms if f.has_changed() and not self._should_delete_form(f)]
        return len(stored - deleted) + len(added)


class GrievanceInline(admin.StackedInline):
    model = Grievance
    formset = GrievanceFormSet
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
        label=gettext_lazy("Mandate text"),
        widget=forms.Textarea,
        max_length=50000,
        help_text=gettext_lazy(
            "In Markdown. Changing it creates a new version; earlier signatories keep theirs."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "status",
            "summary",
            "argument",
            "authority",
            "filing_organisation",
            "target",
            "opens_at",
            "closes_at",
            "location_required",
            "retention_days",
            "public_key",
        ]
        help_texts = {
            "public_key": gettext_lazy(
                "Signatories' names and addresses are sealed to this key. Make the key pair on the "
                "organiser's machine with `technopolice complaint_keys` and paste the public key "
                "here; keep the private key offline, the export needs it. It cannot change once "
                "someone has signed."
            ),
            "status": gettext_lazy(
                "A draft is seen by staff only (use Preview). Once published, the campaign is "
                "scheduled until it opens and then opens and closes by itself at its dates. "
                "Filing is recorded with the action Mark as filed."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_status = self.instance.status if self.instance.pk else CampaignStatus.DRAFT
        current = self.instance.current_mandate() if self.instance.pk else None
        if current:
            self.fields["mandate_text"].initial = current.text
        if "status" in self.fields:  # filed is recorded by its action, with its date and reference
            self.fields["status"].choices = [
                (CampaignStatus.DRAFT, CampaignStatus.DRAFT.label),
                (CampaignStatus.PUBLISHED, CampaignStatus.PUBLISHED.label),
            ]

    def clean_public_key(self) -> str:
        value = self.cleaned_data["public_key"].strip()
        if value:
            try:
                sealing.check_public_key(value)
            except sealing.SealingError:
                raise forms.ValidationError(lifecycle.key_problem(value)) from None
        if self.instance.pk and value != self.instance.public_key and self.instance.signatories.exists():
            raise forms.ValidationError(
                _(
                    "People have signed: their identities are sealed to the current key, which "
                    "therefore cannot change (the export would no longer open them)."
                )
            )
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status", self.saved_status)
        if status == CampaignStatus.DRAFT:
            if self.saved_status == CampaignStatus.PUBLISHED:
                for problem in lifecycle.unpublishing_problems(self.instance):
                    self.add_error("status", problem)
            return cleaned
        if "public_key" in cleaned:
            problem = lifecycle.key_problem(cleaned["public_key"])
            if problem:
                self.add_error("public_key", problem)
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        going_public = self.saved_status == CampaignStatus.DRAFT
        if going_public and opens_at and closes_at and closes_at > opens_at:
            for problem in lifecycle.dates_problems(opens_at, closes_at):
                self.add_error("closes_at", problem)
        return cleaned


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=gettext_lazy("Filed on"), widget=AdminDateWidget)
    reference = forms.CharField(
        label=gettext_lazy("The authority's reference"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("As the authority gave it, if it did."),
    )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = [
        "title",
        "state_label",
        "opens_at",
        "closes_at",
        "withdrawals",
        "preview_link",
        "export_link",
    ]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["state_label", "published_at", "filed_at", "filing_reference", "preview_link"]
    inlines = [GrievanceInline, MandateVersionInline]
    actions = ["publish", "unpublish", "mark_filed"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == CampaignStatus.FILED:
            fields.append("status")  # a filed campaign stays filed
        return fields

    @admin.display(description=gettext_lazy("state"))
    def state_label(self, obj) -> str:
        if obj.pk is None:  # a campaign being written has no state yet
            return "-"
        return CampaignState(obj.state).label

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return "-"
        label = _("Preview") if obj.status == CampaignStatus.DRAFT else _("View on the site")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label
        )

    @admin.display(description=gettext_lazy("export"))
    def export_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("complaints:export", args=[obj.slug]), _("export"))

    def save_model(self, request, obj, form, change) -> None:
        """The publication date follows the status the form was given (the verbs set it too)."""
        if obj.status == CampaignStatus.DRAFT:
            obj.published_at = None
        elif obj.published_at is None:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)
        text = form.cleaned_data["mandate_text"]
        current = obj.current_mandate()
        if current is None or current.text != text:
            MandateVersion.objects.create(
                campaign=obj, number=(current.number + 1) if current else 1, text=text
            )

    # --- the life cycle's actions ------------------------------------------------------------

    def _each(self, request, queryset, verb, done: str) -> None:
        """Run ``verb`` on each campaign; say what was done and, for each refusal, why."""
        for campaign in queryset:
            try:
                verb(campaign)
            except lifecycle.LifecycleRefused as refused:
                for problem in refused.problems:
                    self.message_user(request, f"{campaign}: {problem}", messages.ERROR)
            else:
                self.message_user(request, done % {"campaign": campaign}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Publish"), permissions=["change"], location=BOTH)
    def publish(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            lifecycle.publish,
            _("%(campaign)s is published: it opens by itself at its opening date."),
        )

    @admin.action(description=gettext_lazy("Back to draft"), permissions=["change"], location=BOTH)
    def unpublish(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            lifecycle.unpublish,
            _("%(campaign)s is a draft again, hidden from the public."),
        )

    @admin.action(description=gettext_lazy("Mark as filed"), permissions=["change"], location=BOTH)
    def mark_filed(self, request, queryset):
        """Asks the filing date and reference on a page of its own, then calls the verb."""
        if queryset.count() != 1:
            self.message_user(request, _("Mark one campaign as filed at a time."), messages.ERROR)
            return None
        campaign = queryset.get()
        today = timezone.localdate()
        if campaign.state != CampaignState.CLOSED:  # no date would help
            for problem in lifecycle.filing_problems(campaign, today):
                self.message_user(request, f"{campaign}: {problem}", messages.ERROR)
            return None
        form = FilingForm(request.POST if "filing" in request.POST else None, initial={"filed_on": today})
        if form.is_bound and form.is_valid():
            try:
                lifecycle.mark_filed(campaign, form.cleaned_data["filed_on"], form.cleaned_data["reference"])
            except lifecycle.LifecycleRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                self.message_user(request, _("%(campaign)s is marked as filed.") % {"campaign": campaign})
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mark as filed"),
            "opts": self.opts,
            "campaign": campaign,
            "form": form,
            "media": self.media + form.media,
            "carried": _action_fields(request),
        }
        return TemplateResponse(request, "admin/complaints/campaign/mark_filed.html", context)


def _action_fields(request) -> list[tuple[str, str]]:
    """The fields that brought the admin to an action, to post again with the action's own form
    (from the list or from the campaign's page: the names differ)."""
    names = [name for name in request.POST if name.endswith("action") or name in ("index", "select_across")]
    return [(name, value) for name in names for value in request.POST.getlist(name)]


@admin.register(CampaignNews)
class CampaignNewsAdmin(admin.ModelAdmin):
    """News are written here and sent with the action: once, to the confirmed signatories who
    asked for them. Sent news show on the campaign's page; they are not edited after sending."""

    list_display = ["title", "campaign", "created_at", "sent_at", "sent_count", "readers"]
    list_filter = ["campaign"]
    readonly_fields = ["send_requested_at", "sent_at", "sent_count"]
    actions = ["send"]

    @admin.display(description=gettext_lazy("will receive it"))
    def readers(self, obj) -> int:
        return news.readers(obj).count()

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.send_requested_at:
            return False  # what was sent stays as sent
        return super().has_change_permission(request, obj)

    @admin.action(
        description=gettext_lazy("Send to the signatories who asked for news"), permissions=["change"]
    )
    def send(self, request, queryset) -> None:
        for item in queryset:
            if news.request_sending(item):
                count = news.readers(item).count()
                message = ngettext(
                    "“%(news)s” is being sent to %(count)d signatory.",
                    "“%(news)s” is being sent to %(count)d signatories.",
                    count,
                )
                self.message_user(request, message % {"news": item, "count": count})
            else:
                self.message_user(
                    request, _("“%(news)s” was already sent.") % {"news": item}, messages.WARNING
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
