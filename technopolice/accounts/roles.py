"""Roles as groups of permissions, granted one by one (least privilege, never is_staff).

- Contributors propose; their proposals wait in the queue like anyone's.
- Moderators decide on proposals and revert dossiers; they do not get the Django admin.
- Administrators get the admin (is_staff) and edit the taxonomy and organisations there,
  write complaint campaigns, and alone may export signatories for filing.

Each app declares what its roles may do, as ``role_permissions`` on its AppConfig
(``{MODERATORS: ["app.codename", ...]}``); this module only assembles the groups, so a
new app never edits accounts. The names below are the only thing apps import from here.
"""

from collections import defaultdict

from django.apps import apps

CONTRIBUTORS = "Contributors"
MODERATORS = "Moderators"
ADMINISTRATORS = "Administrators"
ROLES = (CONTRIBUTORS, MODERATORS, ADMINISTRATORS)


def declared_permissions() -> dict[str, list[str]]:
    """Every role with the permissions the installed apps grant it, in app order."""
    granted: dict[str, list[str]] = defaultdict(list)
    for app_config in apps.get_app_configs():
        for role, permissions in getattr(app_config, "role_permissions", {}).items():
            if role not in ROLES:
                raise ValueError(f"{app_config.label} grants permissions to an unknown role {role!r}")
            granted[role].extend(p for p in permissions if p not in granted[role])
    return {role: granted[role] for role in ROLES}


def ensure_roles(**kwargs) -> None:
    """Create or update the role groups; runs after every migrate."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group

    # post_migrate fires app by app: make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, permissions in declared_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(p) for p in permissions])


def _permission(dotted: str):
    from django.contrib.auth.models import Permission

    app_label, codename = dotted.split(".")
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise ValueError(f"A role is granted {dotted!r}, which no installed model defines") from None
