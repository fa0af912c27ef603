from django.test import SimpleTestCase

from ..importers.tags import camera_fields, parse_directions


class DirectionTests(SimpleTestCase):
    TABLE = [
        ("240", [240]),
        ("0", [0]),
        ("360", [0]),
        ("22.5", [22.5]),
        ("45°", [45]),
        ("-45", [315]),
        ("NE", [45]),
        ("nnw", [337.5]),
        ("W", [270]),
        ("north", [0]),
        ("90-180", [135]),
        ("300-60", [0]),
        ("N-E", [45]),
        ("0;180", [0, 180]),
        ("90; 270", [90, 270]),
        ("90,270", [90, 270]),
        ("NE;SW;S", [45, 225, 180]),
        ("0;junk;180", [0, 180]),
        ("forward", []),
        ("junk", []),
        ("nan", []),
        ("", []),
        (None, []),
    ]

    def test_every_real_form(self):
        for raw, expected in self.TABLE:
            with self.subTest(raw=raw):
                self.assertEqual(parse_directions(raw), expected)


class CameraFieldTests(SimpleTestCase):
    def test_the_scheme_keys_fill_their_fields(self):
        fields = camera_fields(
            {
                "surveillance": "public",
                "surveillance:type": "ALPR",
                "surveillance:zone": "traffic",
                "camera:type": "dome",
                "camera:mount": "pole",
                "camera:direction": "NE",
                "direction": "10",
                "operator": " Police municipale ",
                "height": "4",
                "camera:angle": "15",
            }
        )
        self.assertEqual(fields["surveillance_type"], "ALPR")
        self.assertEqual(fields["zone"], "traffic")
        self.assertEqual(fields["operator"], "Police municipale")
        self.assertEqual((fields["directions"], fields["direction_raw"]), ([45], "NE"))
        self.assertEqual((fields["height"], fields["camera_angle"]), ("4", "15"))

    def test_a_bare_node_gives_empty_fields(self):
        fields = camera_fields({"man_made": "surveillance"})
        self.assertEqual(fields["directions"], [])
        self.assertEqual({v for k, v in fields.items() if k != "directions"}, {""})

    def test_junk_direction_is_kept_as_written(self):
        fields = camera_fields({"direction": "towards the square"})
        self.assertEqual((fields["directions"], fields["direction_raw"]), ([], "towards the square"))

    def test_overlong_values_are_cut_to_their_column(self):
        fields = camera_fields({"operator": "x" * 500, "direction": "1;" * 100})
        self.assertEqual(len(fields["operator"]), 200)
        self.assertEqual(len(fields["direction_raw"]), 100)
        self.assertEqual(len(fields["directions"]), 100)
