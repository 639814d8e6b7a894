from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "govinfo.orgs"
    label = "orgs"
