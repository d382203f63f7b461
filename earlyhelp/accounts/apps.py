from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earlyhelp.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
