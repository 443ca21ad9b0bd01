from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "gongjian.development"
    label = "development"
    verbose_name = _("巾帼致富")

    def ready(self) -> None:
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        register(NavItem(_("巾帼致富"), "development:home", "development.view",
                         _("人才库、党员推荐培养、小额贷款、示范基地和劳动力转移"), order=30))

        # --- talent ---
        from gongjian.kernel import figures

        from .selectors.talent import figures_provide as talent_figures

        figures.offer(figures.Source("talents", _("妇女人才库"), {
            "reported": _("上报人才"), "accepted": _("新入库人才"), "pool": _("人才库人数"),
            "jobs": _("入库人才带动就业"), "trained": _("参加培训的人才")}, talent_figures))
        # --- end talent ---

        # --- cultivation ---
        # --- end cultivation ---

        # --- loan ---
        # --- end loan ---

        # --- demonstration ---
        # --- end demonstration ---
