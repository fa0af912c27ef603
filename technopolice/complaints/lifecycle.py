"""A campaign's life cycle, as staff move it: draft → published → filed.

Between publication and filing the dates decide (``Campaign.state_at``): a published campaign is
*scheduled* until it opens, *open* until it closes, then *closed*, without anyone acting, so an
embargoed launch opens on time by itself. The public sees nothing of a draft.

The verbs here are the only way the admin (actions and buttons) changes the status; its form
applies the same rules to what it is given (``admin.CampaignForm``). A verb that refuses raises
``LifecycleRefused`` with every reason, in the user's language, so staff fix them all at once.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.lib import sealing

from .models import Campaign, CampaignState, CampaignStatus


class LifecycleRefused(Exception):
    """The campaign cannot move as asked; ``problems`` says why, one translated sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- what publication needs ------------------------------------------------------------------


def key_problem(public_key: str) -> str | None:
    """Why ``public_key`` cannot receive signatories' identities, or None if it can."""
    if not (public_key or "").strip():
        return _(
            "The campaign has no public key: make a key pair with `technopolice complaint_keys` "
            "on the organiser's machine and paste its public key here."
        )
    try:
        sealing.check_public_key(public_key)
    except sealing.SealingError:
        return _(
            "The public key is not a campaign key (44 characters of base64, as printed by "
            "`technopolice complaint_keys`)."
        )
    return None


def dates_problems(opens_at, closes_at, now=None) -> list[str]:
    """A campaign must close after it opens, and not have closed already when it is published."""
    if opens_at is None or closes_at is None:
        return []
    if closes_at <= opens_at:
        return [_("The campaign closes before it opens: correct its dates.")]
    if closes_at <= (now or timezone.now()):
        return [_("The campaign's closing date is already past: nobody could sign it.")]
    return []


def publication_problems(campaign: Campaign, now=None) -> list[str]:
    """Everything that keeps ``campaign`` from being published (empty: it can be)."""
    problems = []
    if not campaign.grievances.exists():
        problems.append(_("The campaign has no grievance: add at least one, people sign grievances."))
    if campaign.current_mandate() is None:
        problems.append(_("The campaign has no mandate text: signatories must know what they sign."))
    key = key_problem(campaign.public_key)
    if key:
        problems.append(key)
    return problems + dates_problems(campaign.opens_at, campaign.closes_at, now)


def unpublishing_problems(campaign: Campaign) -> list[str]:
    """A campaign goes back to draft only while nobody signed it: a signatory's links and
    confirmation must never lead to a page that has vanished."""
    if campaign.status != CampaignStatus.PUBLISHED:
        return [_("Only a published campaign that is not filed can go back to draft.")]
    if campaign.signatories.exists():
        return [_("People have signed this campaign: it can no longer go back to draft.")]
    return []


def filing_problems(
    campaign: Campaign, filed_on: datetime.date | None, reference: str = "", now=None
) -> list[str]:
    """A complaint is filed once signatures are no longer collected, on a real day."""
    if campaign.status == CampaignStatus.FILED:
        return [_("This campaign is already marked as filed.")]
    state = campaign.state_at(now)
    if state != CampaignState.CLOSED:
        return [_("A campaign is filed once it has closed: this one is %(state)s.") % {"state": state.label}]
    problems = []
    today = timezone.localdate(now or timezone.now())
    if filed_on is None:
        problems.append(_("Give the date the complaint was filed."))
    elif filed_on > today:
        problems.append(_("The filing date cannot be in the future."))
    elif filed_on < timezone.localdate(campaign.opens_at):
        problems.append(_("The filing date cannot be before the campaign opened."))
    if len(reference) > Campaign._meta.get_field("filing_reference").max_length:
        problems.append(_("The filing reference is too long."))
    return problems


# --- the verbs -------------------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    """The campaign's row as it is now, locked until the transaction ends: two staff members
    publishing at once, or a sign-up racing an unpublishing, see each other's decision."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _store(campaign: Campaign, fresh: Campaign, fields: list[str]) -> None:
    """Save ``fields`` (post_save makes every process of this one forget the kept campaign) and
    copy them onto the caller's instance."""
    fresh.save(update_fields=fields)
    for name in fields:
        setattr(campaign, name, getattr(fresh, name))


def publish(campaign: Campaign, now=None) -> None:
    """Make a draft public: scheduled until its opening date, then open by itself."""
    with transaction.atomic():
        fresh = _locked(campaign)
        if fresh.status != CampaignStatus.DRAFT:
            raise LifecycleRefused([_("Only a draft can be published: this campaign is already public.")])
        problems = publication_problems(fresh, now)
        if problems:
            raise LifecycleRefused(problems)
        fresh.status, fresh.published_at = CampaignStatus.PUBLISHED, now or timezone.now()
        _store(campaign, fresh, ["status", "published_at"])


def unpublish(campaign: Campaign) -> None:
    """Back to draft, hidden again, while nobody has signed."""
    with transaction.atomic():
        fresh = _locked(campaign)
        problems = unpublishing_problems(fresh)
        if problems:
            raise LifecycleRefused(problems)
        fresh.status, fresh.published_at = CampaignStatus.DRAFT, None
        _store(campaign, fresh, ["status", "published_at"])


def mark_filed(campaign: Campaign, filed_on: datetime.date, reference: str = "", now=None) -> None:
    """Record that the closed campaign's complaint was filed with its authority, and when."""
    reference = (reference or "").strip()
    with transaction.atomic():
        fresh = _locked(campaign)
        problems = filing_problems(fresh, filed_on, reference, now)
        if problems:
            raise LifecycleRefused(problems)
        fresh.status, fresh.filed_at, fresh.filing_reference = CampaignStatus.FILED, filed_on, reference
        _store(campaign, fresh, ["status", "filed_at", "filing_reference"])


# --- reading the states ----------------------------------------------------------------------

PUBLIC_STATES = [CampaignState.SCHEDULED, CampaignState.OPEN, CampaignState.CLOSED, CampaignState.FILED]


def public_campaigns():
    """Every campaign the public may see: all but drafts."""
    return Campaign.objects.exclude(status=CampaignStatus.DRAFT)


def in_state(state: str, now=None) -> Q:
    """The campaigns whose ``state_at(now)`` is ``state``, as a database filter (the same rule)."""
    now = now or timezone.now()
    published = Q(status=CampaignStatus.PUBLISHED)
    return {
        CampaignState.DRAFT: Q(status=CampaignStatus.DRAFT),
        CampaignState.SCHEDULED: published & Q(opens_at__gt=now),
        CampaignState.OPEN: published & Q(opens_at__lte=now, closes_at__gt=now),
        CampaignState.CLOSED: published & Q(opens_at__lte=now, closes_at__lte=now),
        CampaignState.FILED: Q(status=CampaignStatus.FILED),
    }[state]
