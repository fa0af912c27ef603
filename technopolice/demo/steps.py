"""The demo's steps, gathered from the apps: each app that has demo data says how to load it.

An app joins the demo with a module ``demo.py`` holding ``STEPS``, a list of
``(name, step)`` where ``step()`` loads its samples and returns a one-line summary. Steps run
in the order of INSTALLED_APPS (accounts before the registry, the registry before the map),
and each must be idempotent so that the demo can be loaded on every start. This app knows
no domain: it imports the apps' demo modules by name.
"""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

Step = tuple[str, Callable[[], str]]


def demo_steps() -> list[Step]:
    steps: list[Step] = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.demo"
        if app_config.name != __package__ and find_spec(module_name) is not None:
            steps.extend(import_module(module_name).STEPS)
    return steps
