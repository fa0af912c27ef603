from django.test import SimpleTestCase
from django.utils import translation

from technopolice.registry.diffs import diff_snapshots, inline_diff


class InlineDiffTests(SimpleTestCase):
    def test_it_marks_removed_and_added_words(self):
        self.assertEqual(inline_diff("a red car", "a blue car"), "a <del>red</del><ins>blue</ins> car")

    def test_it_escapes_both_sides(self):
        self.assertEqual(inline_diff("<i>", "<script>"), "&lt;<del>i</del><ins>script</ins>&gt;")


class DiffSnapshotTests(SimpleTestCase):
    def test_it_shows_list_entries_removed_and_added(self):
        old = {"communes": ["42218"], "sources": [{"title": "A", "url": "https://a.example"}]}
        new = {"communes": ["69123"], "sources": [{"title": "B", "url": "https://b.example"}]}
        changes = {c.name: c for c in diff_snapshots(old, new)}
        self.assertEqual((changes["communes"].removed, changes["communes"].added), (["42218"], ["69123"]))
        self.assertEqual(changes["sources"].added, ["B · https://b.example"])
        self.assertEqual(set(changes), {"communes", "sources"})

    def test_a_choice_is_shown_as_people_read_it_in_their_language(self):
        old, new = {"status": "deployed"}, {"status": "abandoned"}
        with translation.override("fr"):
            (change,) = diff_snapshots(old, new)
            self.assertEqual((str(change.old), str(change.new)), ("déployé", "abandonné"))
        with translation.override("en"):
            (change,) = diff_snapshots(old, new)
            self.assertEqual((str(change.old), str(change.new)), ("deployed", "abandoned"))
