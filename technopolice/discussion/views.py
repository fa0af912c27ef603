"""/discussion/: posting, replying, editing, deleting and flagging comments; the moderators' flag
queue; a commune's discussion page. Forms work without JavaScript: a refused comment comes back
in its form with the reason, its text kept."""

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Min, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from technopolice.registry.models import Commune

from . import actions, targets
from .forms import CommentForm, DecisionForm, FlagForm
from .models import Comment, Flag

PER_PAGE = 30


def _target_url(comment: Comment) -> str:
    target = comment.target
    if target is None or not targets.KINDS[type(target)].is_public(target):
        raise Http404
    return f"{target.get_absolute_url()}#comment-{comment.pk}"


def _comment(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author"), pk=pk)


def _form_page(request, form, *, target=None, parent=None, comment=None, refused=None, status=200):
    context = {"form": form, "target": target, "parent": parent, "comment": comment, "refused": refused}
    if target is not None:
        context["target_type"] = ContentType.objects.get_for_model(target).pk
    return render(request, "discussion/form.html", context, status=status)


@require_GET
def permalink(request, pk: int):
    return redirect(_target_url(_comment(pk)))


@require_POST
def post(request):
    target = targets.load(_int(request.POST.get("target_type")), _int(request.POST.get("target_id")))
    if target is None:
        raise Http404
    parent = None
    if request.POST.get("parent"):
        parent = get_object_or_404(Comment, pk=_int(request.POST["parent"]))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, target=target, parent=parent, status=400)
    try:
        comment = actions.post(request.user, target, form.cleaned_data["body"], parent)
    except actions.Refused as refused:
        return _form_page(request, form, target=target, parent=parent, refused=refused, status=refused.status)
    return redirect(_target_url(comment))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_GET
@login_required
def reply(request, pk: int):
    """The form answering one comment, quoting it when asked (``?quote=1``)."""
    parent = _comment(pk)
    _target_url(parent)
    try:
        actions.check_may_reply(parent)
    except actions.Refused as refused:
        return render(request, "discussion/refused.html", {"refused": refused}, status=refused.status)
    initial = {}
    if request.GET.get("quote"):
        initial["body"] = "\n".join(f"> {line}" for line in parent.body.splitlines()) + "\n\n"
    return _form_page(request, CommentForm(initial=initial), target=parent.target, parent=parent)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, pk: int):
    comment = _comment(pk)
    url = _target_url(comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "GET":
        try:
            actions.check_editable(request.user, comment)
        except actions.Refused as refused:
            return render(request, "discussion/refused.html", {"refused": refused}, status=refused.status)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit(request.user, comment, form.cleaned_data["body"])
        except actions.Refused as refused:
            return _form_page(request, form, comment=comment, refused=refused, status=refused.status)
        return redirect(url)
    return _form_page(request, form, comment=comment, status=400 if form.is_bound else 200)


@require_POST
@login_required
def delete(request, pk: int):
    comment = _comment(pk)
    url = _target_url(comment)
    try:
        actions.delete(request.user, comment)
    except actions.Refused as refused:
        return render(request, "discussion/refused.html", {"refused": refused}, status=refused.status)
    return redirect(url)


@require_http_methods(["GET", "POST"])
@login_required
def flag(request, pk: int):
    comment = _comment(pk)
    url = _target_url(comment)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.flag(request.user, comment, form.cleaned_data["reason"], form.cleaned_data["text"])
        except actions.Refused as refused:
            return render(request, "discussion/refused.html", {"refused": refused}, status=refused.status)
        return render(request, "discussion/flagged.html", {"url": url})
    return render(
        request,
        "discussion/flag.html",
        {"form": form, "comment": comment},
        status=400 if form.is_bound else 200,
    )


@require_GET
@permission_required("discussion.moderate_comment", raise_exception=True)
def flag_queue(request):
    """Comments with open flags, the most flagged first, each with its flags."""
    open_flags = Prefetch("flags", Flag.objects.open().select_related("reporter"), to_attr="open_flags")
    comments = (
        Comment.objects.filter(flags__resolved_at__isnull=True)
        .annotate(flag_count=Count("flags"), first_flag=Min("flags__created_at"))
        .order_by("-flag_count", "first_flag")
        .select_related("author")
        .prefetch_related(open_flags)
    )
    page = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "discussion/flags.html", {"page": page, "form": DecisionForm()})


@require_POST
@permission_required("discussion.moderate_comment", raise_exception=True)
def decide(request, pk: int):
    comment = _comment(pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "discussion/refused.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        _apply(request.user, comment, data["action"], data["reason"], data["days"])
    except actions.Refused as refused:
        return render(request, "discussion/refused.html", {"refused": refused}, status=refused.status)
    return redirect("discussion:flags")


def _apply(moderator, comment: Comment, action: str, reason: str, days: int | None) -> None:
    if action == "hide":
        actions.hide(moderator, comment, reason)
    elif action == "delete":
        actions.remove(moderator, comment)
    elif action == "dismiss":
        actions.dismiss(moderator, comment)
    elif comment.author is None:
        raise actions.Refused(_("Its author closed their account."))
    else:
        actions.restrict(moderator, comment.author, days or 0, reason)


@require_GET
def commune(request, slug: str):
    """What is said about a commune's dossiers, documents and collectives, newest first."""
    place = get_object_or_404(Commune, slug=slug)
    comments = (
        Comment.objects.public()
        .filter(communes=place)
        .select_related("author")
        .defer("body")
        .order_by("-created_at", "-id")
    )
    page = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_public_targets(list(page.object_list))
    return render(request, "discussion/commune.html", {"commune": place, "page": page})


def _with_public_targets(comments: list[Comment]) -> list[Comment]:
    """The comments whose target is still public, each with it: one query per kind of target."""
    wanted: dict[int, set[int]] = {}
    for comment in comments:
        wanted.setdefault(comment.target_type_id, set()).add(comment.target_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        found.update({(type_id, o.pk): o for o in model._default_manager.filter(pk__in=ids)})
    shown = []
    for comment in comments:
        comment.shown_target = found.get((comment.target_type_id, comment.target_id))
        if comment.shown_target is not None and targets.commentable(comment.shown_target).is_public(
            comment.shown_target
        ):
            shown.append(comment)
    return shown
