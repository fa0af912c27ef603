"""Views of the map, by what they serve: JSON for the map's script, pages, tiles, proposals."""
