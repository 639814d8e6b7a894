from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govinfo.accounts"
    label = "accounts"
