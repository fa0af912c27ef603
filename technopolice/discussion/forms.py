from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY, FlagReason


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_BODY,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Write @name to mention a member: they are told by email."),
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why should moderators look at it?"), choices=FlagReason.choices)
    text = forms.CharField(
        label=_("Details (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    ACTIONS = [
        ("hide", _("Hide it, with a public reason")),
        ("delete", _("Delete it")),
        ("dismiss", _("Dismiss the flags")),
        ("restrict", _("Restrict its author's account")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=300,
        required=False,
        help_text=_("Shown in place of a hidden comment; told to a restricted member."),
    )
    days = forms.IntegerField(
        label=_("Days without posting"), min_value=1, max_value=3650, required=False, initial=7
    )
