from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "gongjian.support"
    label = "support"
    verbose_name = _("维权与关爱")

    def ready(self) -> None:
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        register(NavItem(_("维权与关爱"), "support:home", "support.view",
                         _("维权案件、关爱对象和爱心妈妈结对、服务站点和健康服务"), order=25))

        # --- case ---
        # --- end case ---

        # --- care ---
        # --- end care ---

        # --- service ---
        # --- end service ---
