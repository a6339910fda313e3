"""The demo app: data files and the `seed_demo` command that loads them."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "matching.demo"
    label = "demo"
    verbose_name = "Demo data"
