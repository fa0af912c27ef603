from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import registered_kinds
from .models import ProposalState


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The contributor reads it on their follow-up page."),
        error_messages={"required": _("Say why the proposal is rejected: the contributor will read it.")},
    )


class QueueFilterForm(forms.Form):
    """The queue's filters, as a GET form: every filtered view is a shareable URL."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("all")), *ProposalState.choices], initial="pending"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *((k.kind, k.label) for k in registered_kinds())]

    def filter(self, proposals):
        if not self.is_valid():
            return proposals.pending()
        data = self.cleaned_data
        proposals = proposals.filter(kind=data["kind"]) if data["kind"] else proposals
        return proposals.filter(state=data["state"]) if data["state"] else proposals
