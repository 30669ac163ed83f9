from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ocop.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from ocop.core.scoping import register_scope_policy

        from .scoping import role_scope

        register_scope_policy(role_scope)
