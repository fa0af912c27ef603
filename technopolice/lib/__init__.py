"""Helpers with few ties to Django, each tested on its own."""
