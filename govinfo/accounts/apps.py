from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govinfo.accounts"
    label = "accounts"

    def ready(self):
        from . import idle  # noqa: F401  registers the idle sign-out's audit action
