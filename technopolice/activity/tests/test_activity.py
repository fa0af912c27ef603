"""Recording, reading and retracting activity, and naming subjects back, on real rows."""

from django.contrib.auth.models import User
from django.test import TestCase
from django.utils import translation

from technopolice.activity import actions, querysets, subjects
from technopolice.activity.display import kind_label, localized
from technopolice.activity.models import Activity
from technopolice.activity.subjects import SubjectKind, register_kind

# Activity knows no domain: its tests use accounts as the objects and a kind of their own.
register_kind(SubjectKind("user", "user", User.objects.in_bulk))


class RecordTests(TestCase):
    def setUp(self):
        self.one = User.objects.create(username="one")
        self.two = User.objects.create(username="two")

    def record(self, obj, *keys, title="Quelque chose"):
        return actions.record("dossier_changed", obj, title=title, path="/x/", subjects=keys)

    def test_the_whole_site_always_hears_and_each_subject_is_kept_once(self):
        activity = self.record(self.one, "commune:1", "commune:1", "site")
        self.assertEqual(sorted(activity.subjects.values_list("key", flat=True)), ["commune:1", "site"])

    def test_it_cuts_a_title_too_long_for_its_column(self):
        self.assertEqual(len(self.record(self.one, title="x" * 500).title), 300)

    def test_about_reads_one_subject_newest_first_up_to_a_limit(self):
        first = self.record(self.one, "dossier:1")
        second = self.record(self.one, "dossier:1")
        self.record(self.two, "dossier:2")
        self.assertEqual(list(querysets.about("dossier:1")), [second, first])
        self.assertEqual(list(querysets.about("dossier:1", limit=1)), [second])
        self.assertEqual(querysets.about("site").count(), 3)

    def test_about_any_gives_each_activity_once_within_its_window(self):
        a = self.record(self.one, "commune:1", "dossier:1")
        b = self.record(self.two, "dossier:2")
        c = self.record(self.one, "dossier:1")
        self.assertEqual(list(querysets.about_any(["commune:1", "dossier:1", "dossier:2"])), [a, b, c])
        self.assertEqual(
            list(querysets.about_any(["dossier:1", "dossier:2"], after_id=a.pk, upto_id=b.pk)), [b]
        )
        self.assertEqual(querysets.subjects_of([a.pk])[a.pk], ["commune:1", "dossier:1", "site"])

    def test_retract_forgets_every_activity_of_one_object_only(self):
        self.record(self.one, "dossier:1")
        self.record(self.one, "dossier:1")
        kept = self.record(self.two, "dossier:1")
        self.assertEqual(actions.retract(self.one), 6)  # two activities and their four subjects
        self.assertEqual(list(Activity.objects.all()), [kept])
        self.assertEqual(list(querysets.about("dossier:1")), [kept])


class SubjectTests(TestCase):
    def test_keys_split_and_refuse_what_is_no_key(self):
        self.assertEqual(subjects.split("commune:42"), ("commune", 42))
        self.assertEqual(subjects.split("site"), ("site", None))
        for bad in ("commune", "commune:", ":4", "commune:x", "commune:-1"):
            with self.subTest(bad), self.assertRaises(ValueError):
                subjects.split(bad)

    def test_resolve_leaves_out_unknown_kinds_and_objects(self):
        user = User.objects.create(username="someone")
        self.assertEqual(subjects.key(user), f"user:{user.pk}")
        found = subjects.resolve([f"user:{user.pk}", "user:999999", "planet:3", "site"])
        self.assertEqual(found, {f"user:{user.pk}": user})


class DisplayTests(TestCase):
    def test_kinds_have_words_and_paths_take_the_readers_prefix(self):
        with translation.override("en"):
            self.assertEqual(kind_label("outcome"), "Outcome")
        self.assertEqual(kind_label("something_new"), "something_new")
        self.assertEqual(localized("/dossiers/a/", "fr"), "/dossiers/a/")
        self.assertEqual(localized("/dossiers/a/", "en"), "/en/dossiers/a/")
