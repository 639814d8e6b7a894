from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "govinfo.demo"
    label = "demo"
