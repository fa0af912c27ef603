"""Who may moderate: one permission, granted to the Moderators and Administrators groups."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

MODERATE = "moderation.moderate_proposal"


def can_moderate(user) -> bool:
    return user.is_authenticated and user.has_perm(MODERATE)


def moderator_required(view):
    """Anonymous visitors go to the login page; signed-in people without the permission get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
