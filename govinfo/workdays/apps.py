from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "govinfo.workdays"
    label = "workdays"
