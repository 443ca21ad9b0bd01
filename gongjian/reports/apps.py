from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongjian.reports"
    label = "reports"
    verbose_name = _("公文与报告")

    def ready(self) -> None:
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        register(NavItem(_("公文与报告"), "reports:home", "reports.view",
                         _("从记录起草公文、信息报送、全县工作报告"), order=40))

        # --- document ---
        from .drafts import offer_drafters

        offer_drafters()  # 情况汇报, 工作总结, 通知, 公示, 调研报告 (the bodies of work offer the others)
        # --- end document ---
        # --- news ---
        # --- end news ---
        # --- county ---
        # --- end county ---
