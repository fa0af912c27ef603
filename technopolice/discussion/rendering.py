"""The HTML of a thread, written in Python: a page of 200 comments through the template engine
spent most of its time in ``{% url %}``, ``{% translate %}`` and ``|date``, per comment. Here the
words are translated, the URLs reversed and each day formatted once per page; what comes from
members is escaped (names, reasons) or was sanitised when saved (``body_html``)."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

_PLACEHOLDER = 987654321


@dataclass(slots=True)
class ThreadItem:
    """What the thread shows of a comment, read as plain values: 200 model instances and their
    authors' cost more than the rest of the thread."""

    pk: int
    parent_id: int | None
    depth: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    is_hidden: bool
    hidden_reason: str
    is_deleted: bool
    author_id: int | None
    author_name: str | None
    indent: int = 0

    COLUMNS = (
        "id", "parent_id", "depth", "body_html", "created_at", "edited_at", "is_hidden", "hidden_reason",
        "is_deleted", "author_id", "author__username",
    )  # fmt: skip

    @property
    def is_public(self) -> bool:
        return not (self.is_hidden or self.is_deleted)


class _Urls:
    """Each comment URL reversed once, the comment's id put in by replacing a placeholder."""

    def __init__(self, *names: str):
        self.patterns = {name: reverse(f"discussion:{name}", args=[_PLACEHOLDER]) for name in names}

    def __call__(self, name: str, pk: int) -> str:
        return self.patterns[name].replace(str(_PLACEHOLDER), str(pk))


class ThreadRenderer:
    def __init__(self, user, csrf_token: str, edit_after):
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.csrf_token, self.edit_after = csrf_token, edit_after
        self.urls = _Urls("permalink", "reply", "edit", "delete", "flag")
        self.days: dict = {}
        # Translated once per page, as literal calls so that makemessages finds every word.
        self.words = {
            word: escape(text)
            for word, text in (
                ("former member", gettext("former member")),
                ("edited", gettext("edited")),
                ("Comment deleted by its author.", gettext("Comment deleted by its author.")),
                ("Reply", gettext("Reply")),
                ("Quote", gettext("Quote")),
                ("Edit", gettext("Edit")),
                ("Delete", gettext("Delete")),
                ("Flag", gettext("Flag")),
            )
        }

    def render(self, comments) -> SafeString:
        return mark_safe("".join(self.comment(c) for c in comments))  # noqa: S308 - built from escaped parts

    def when(self, moment) -> str:
        local = timezone.localtime(moment)
        day = self.days.get(local.date())
        if day is None:
            day = self.days[local.date()] = formats.date_format(local.date(), "DATE_FORMAT")
        return f'<time datetime="{local.isoformat()}">{day} {local:%H:%M}</time>'

    def comment(self, c) -> str:
        words = self.words
        author = escape(c.author_name) if c.author_id else words["former member"]
        edited = f' · <span class="badge">{words["edited"]}</span>' if c.edited_at and c.is_public else ""
        head = (
            f'<p class="muted"><strong>{author}</strong> · '
            f'<a href="{self.urls("permalink", c.pk)}">{self.when(c.created_at)}</a>{edited}</p>'
        )
        return (
            f'<li class="comment depth-{c.indent}" id="comment-{c.pk}" style="margin-left: {c.indent}.5em">'
            f"{head}{self.body(c)}</li>"
        )

    def body(self, c) -> str:
        if c.is_hidden:
            reason = gettext("Hidden by moderators: %(reason)s") % {"reason": c.hidden_reason}
            return f'<p class="muted"><em>{escape(reason)}</em></p>'
        if c.is_deleted:
            return f'<p class="muted"><em>{self.words["Comment deleted by its author."]}</em></p>'
        return f'<div class="comment-body">{c.body_html}</div>{self.actions(c)}'

    def actions(self, c) -> str:
        if self.user_id is None:
            return ""
        words, urls = self.words, self.urls
        links = [
            f'<a href="{urls("reply", c.pk)}">{words["Reply"]}</a>',
            f'<a href="{urls("reply", c.pk)}?quote=1">{words["Quote"]}</a>',
        ]
        if c.author_id != self.user_id:
            links.append(f'<a href="{urls("flag", c.pk)}">{words["Flag"]}</a>')
        else:
            if c.created_at > self.edit_after:
                links.append(f'<a href="{urls("edit", c.pk)}">{words["Edit"]}</a>')
            links.append(
                format_html(
                    '<form class="inline" method="post" action="{}">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<button type="submit" class="link">{}</button></form>',
                    urls("delete", c.pk),
                    self.csrf_token,
                    mark_safe(words["Delete"]),  # noqa: S308 - escaped above
                )
            )
        return f'<p class="comment-actions">{" · ".join(links)}</p>'
