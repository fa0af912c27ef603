"""``{% load following %}{% follow_button obj %}``: follow or unfollow a page's subject.

A POST form back to the same page (no JavaScript needed) with the number of followers; for a
visitor, a link to log in; for an account without a confirmed email, a link to add one (the
digest needs somewhere to go).
"""

from django import template

from technopolice.activity import subjects
from technopolice.following.models import Follow

register = template.Library()


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_button(context, obj) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    key = subjects.key(obj)
    followers = Follow.objects.filter(key=key)
    return {
        "key": key,
        "count": followers.count(),
        "user": user,
        "here": request.get_full_path() if request else "",
        "following": bool(user and user.is_authenticated and followers.filter(user=user).exists()),
        "csrf_token": context.get("csrf_token"),
    }
