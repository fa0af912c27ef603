"""Roles are assembled from what each app declares: a new app grants permissions without editing accounts."""

from unittest import mock

from django.apps import apps
from django.contrib.auth.models import Group
from django.test import TestCase

from technopolice.accounts.roles import (
    ADMINISTRATORS,
    CONTRIBUTORS,
    MODERATORS,
    declared_permissions,
    ensure_roles,
)

MODERATORS_ON_THE_SITE = {
    "collectives.view_collective",
    "collectives.change_collective",
    "collectives.view_conversation",
    "events.add_event",
    "events.change_event",
    "events.view_event",
    "discussion.moderate_comment",
}


def group_permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


class RoleTests(TestCase):
    def test_each_group_holds_exactly_what_the_apps_declare(self):
        declared = declared_permissions()
        for role in (CONTRIBUTORS, MODERATORS, ADMINISTRATORS):
            with self.subTest(role=role):
                self.assertEqual(group_permissions(role), set(declared[role]))

    def test_the_apps_declarations_give_each_role_what_it_needs_and_no_more(self):
        self.assertEqual(group_permissions(CONTRIBUTORS), set())
        # Moderators decide on proposals, and look after collectives and events on the site (no admin).
        self.assertEqual(
            group_permissions(MODERATORS), {"moderation.moderate_proposal", *MODERATORS_ON_THE_SITE}
        )
        administrators = group_permissions(ADMINISTRATORS)
        for needed in (
            "moderation.moderate_proposal",
            "registry.change_technology",
            "documents.change_document",
        ):
            self.assertIn(needed, administrators)
        self.assertIn("complaints.export_signatories", administrators)
        self.assertNotIn("registry.change_dossier", administrators, "dossiers change through proposals only")

    def test_a_new_apps_declaration_joins_the_role_on_the_next_migrate(self):
        config = apps.get_app_config("pages")
        with mock.patch.object(config, "role_permissions", {MODERATORS: ["auth.view_group"]}, create=True):
            ensure_roles()
        self.assertEqual(
            group_permissions(MODERATORS),
            {"moderation.moderate_proposal", *MODERATORS_ON_THE_SITE, "auth.view_group"},
        )

    def test_a_permission_no_model_defines_is_refused_by_name(self):
        config = apps.get_app_config("pages")
        with mock.patch.object(config, "role_permissions", {MODERATORS: ["pages.fly"]}, create=True):
            with self.assertRaisesMessage(ValueError, "'pages.fly'"):
                ensure_roles()

    def test_an_unknown_role_is_refused_by_name(self):
        config = apps.get_app_config("pages")
        with mock.patch.object(config, "role_permissions", {"Editors": []}, create=True):
            with self.assertRaisesMessage(ValueError, "'Editors'"):
                declared_permissions()
