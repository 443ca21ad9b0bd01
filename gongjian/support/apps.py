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
        # --- case_public ---
        from gongjian.kernel import figures
        from gongjian.kernel.navigation import register_portal_section

        from .selectors.case_stats import SMALL, provide_figures

        # Counts only, small ones hidden outside the handling organisation (Z-07).
        figures.offer(figures.Source("cases", _("维权案件"), {
            "received": _("收到维权求助"), "closed": _("维权案件结案"), "risk": _("高风险案件"),
            "referred": _("转介案件"), "overdue": _("超期案件")}, provide_figures, suppress_below=SMALL))
        register_portal_section("portal/support/case/_section.html")
        # --- end case_public ---

        # --- care ---
        # --- end care ---

        # --- service ---
        # --- end service ---
