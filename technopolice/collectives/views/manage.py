"""Creating and running a collective: the form, the members' page, joining and leaving.

Who may do what is checked on the first line of each view (``_organised``, ``_own``):
organisers act on the collective they organise, never on another, and every membership a
POST names is looked up within that collective, so a forged id from elsewhere is a 404.
Moderators may edit any collective and run its members (to fix one left without organiser).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from technopolice.lib.uploads import memory_only

from .. import actions
from ..forms import MAX_LOGO_BYTES, CollectiveForm
from ..models import Collective, CollectiveStatus, Membership, MembershipStatus, Role

CHANGE = "collectives.change_collective"


def _membership(collective: Collective, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return collective.memberships.filter(user=user).first()


def _is_organiser(membership: Membership | None) -> bool:
    return bool(
        membership and membership.role == Role.ORGANISER and membership.status == MembershipStatus.ACTIVE
    )


def _organised(request, slug: str) -> Collective:
    """The collective ``slug`` if the visitor organises it (or moderates); else 404 or 403."""
    collective = get_object_or_404(Collective, slug=slug)
    if _is_organiser(_membership(collective, request.user)) or request.user.has_perm(CHANGE):
        return collective
    if collective.status != CollectiveStatus.LISTED:
        raise Http404  # an unlisted collective does not exist for anyone but its organisers
    raise PermissionDenied


def _email_needed(request):
    return render(request, "collectives/email_needed.html", status=403)


def _form_page(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


# A logo carries its EXIF until it is cleaned: it is kept in memory only, never spooled to a
# temporary file. The upload handlers are swapped before the CSRF check reads POST: hence
# csrf_exempt outside and csrf_protect inside (lib.uploads).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def create(request):
    memory_only(request, max_bytes=MAX_LOGO_BYTES)
    return _create(request)


@csrf_protect
@login_required
def _create(request):
    if not request.user.email:
        return _email_needed(request)
    form = CollectiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        collective = actions.create_collective(request.user, form.cleaned_data)
        messages.success(
            request,
            _("%(name)s is created. A moderator will check it before it appears in the directory.")
            % {"name": collective.name},
        )
        # Its page, with a banner: only its members and the moderators see it until it is listed.
        return redirect(collective.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "collectives/manage_form.html", {"form": form}, status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def edit(request, slug: str):
    memory_only(request, max_bytes=MAX_LOGO_BYTES)
    return _edit(request, slug)


@csrf_protect
@login_required
def _edit(request, slug: str):
    collective = _organised(request, slug)
    if request.method == "POST":
        form = CollectiveForm(request.POST, request.FILES, editing=True)
        if form.is_valid():
            actions.update_collective(collective, form.cleaned_data)
            messages.success(request, _("The collective's page is up to date."))
            return redirect(collective.get_absolute_url())
    else:
        form = CollectiveForm(initial=CollectiveForm.initial_for(collective), editing=True)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "collective": collective}
    return _form_page(request, "collectives/manage_form.html", context, status)


@require_POST
@login_required
def join(request, slug: str):
    collective = get_object_or_404(Collective.objects.listed(), slug=slug)
    if not request.user.email:
        return _email_needed(request)
    membership = _membership(collective, request.user)
    if membership is None:
        actions.ask_to_join(collective, request.user)
        messages.success(
            request, _("Your request was sent to the organisers of %(name)s.") % {"name": collective}
        )
    elif membership.status == MembershipStatus.REQUESTED:
        messages.info(request, _("You already asked to join: the organisers will answer."))
    else:
        messages.info(request, _("You are already a member of %(name)s.") % {"name": collective})
    return redirect(collective.get_absolute_url())


def _change_own(request, slug: str, action, done, organisers_only: bool = False):
    """Leave or step down: on the visitor's own membership; a refusal (the last organiser) is
    shown on the members' page, where the role is handed on."""
    collective = get_object_or_404(Collective, slug=slug)
    membership = _membership(collective, request.user)
    if membership is None or (organisers_only and not _is_organiser(membership)):
        raise Http404
    try:
        action(membership)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("collectives:members", collective.slug)
    messages.success(request, done % {"name": collective})
    return redirect("collectives:mine")


@require_POST
@login_required
def leave(request, slug: str):
    return _change_own(request, slug, actions.leave, _("You left %(name)s."))


@require_GET
@login_required
def members(request, slug: str):
    collective = _organised(request, slug)
    rows = collective.memberships.select_related("user").order_by("status", "-role", "user__username")
    context = {
        "collective": collective,
        "requests": [m for m in rows if m.status == MembershipStatus.REQUESTED],
        "members": [m for m in rows if m.status == MembershipStatus.ACTIVE],
        "mine": _membership(collective, request.user),
    }
    return render(request, "collectives/members.html", context)


MEMBER_ACTIONS = {
    "accept": (actions.accept_request, gettext_lazy("Request accepted: %(name)s is a member.")),
    "refuse": (actions.refuse_request, gettext_lazy("Request refused.")),
    "organiser": (actions.make_organiser, gettext_lazy("%(name)s is now an organiser.")),
    "remove": (actions.remove_member, gettext_lazy("%(name)s is no longer a member.")),
}


@require_POST
@login_required
def member_action(request, slug: str, pk: int, verb: str):
    """Accept, refuse, make organiser, remove: on a membership of THIS collective only."""
    collective = _organised(request, slug)
    membership = get_object_or_404(collective.memberships.select_related("user"), pk=pk)
    if verb not in MEMBER_ACTIONS or membership.user_id == request.user.pk:
        raise Http404  # one's own membership changes through step down or leave
    action, done = MEMBER_ACTIONS[verb]
    try:
        action(membership)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, str(done) % {"name": membership.user.get_username()})
    return redirect("collectives:members", collective.slug)


@require_POST
@login_required
def step_down(request, slug: str):
    done = _("You are no longer an organiser of %(name)s.")
    return _change_own(request, slug, actions.step_down, done, organisers_only=True)


@require_GET
@login_required
def mine(request):
    """The collectives one belongs to or asked to join, whatever their state: only they see this."""
    memberships = (
        Membership.objects.filter(user=request.user).select_related("collective").order_by("collective__name")
    )
    return render(request, "collectives/mine.html", {"memberships": memberships})
