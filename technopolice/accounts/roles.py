"""Roles as groups of permissions, granted one by one (least privilege, never is_staff).

- Contributors propose; their proposals wait in the queue like anyone's.
- Moderators decide on proposals and revert dossiers; they do not get the Django admin.
- Administrators get the admin (is_staff) and edit the taxonomy and organisations there.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CONTRIBUTORS = "Contributors"
MODERATORS = "Moderators"
ADMINISTRATORS = "Administrators"

ROLE_PERMISSIONS = {
    CONTRIBUTORS: [],
    MODERATORS: ["moderation.moderate_proposal"],
    ADMINISTRATORS: [
        "moderation.moderate_proposal",
        "registry.add_technology",
        "registry.change_technology",
        "registry.view_technology",
        "registry.add_organisation",
        "registry.change_organisation",
        "registry.view_organisation",
        "registry.add_organisationlink",
        "registry.change_organisationlink",
        "registry.delete_organisationlink",
        "registry.view_organisationlink",
        "registry.view_dossier",
        "registry.view_source",
        "registry.view_event",
        "registry.view_revision",
        "registry.view_commune",
        "registry.view_department",
        "registry.view_region",
        "moderation.view_proposal",
    ],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles(**kwargs) -> None:
    """Create or update the role groups; runs after every migrate."""
    # post_migrate fires app by app: make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(p) for p in permissions])
