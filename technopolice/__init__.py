"""Technopolice: a registry, a map and tools to document and fight urban surveillance."""
