from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The staff side's shell: the home page after signing in and the role's menu."""

    name = "ocop.workspace"
    label = "workspace"
    verbose_name = "Trang làm việc"
