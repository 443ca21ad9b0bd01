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
        # --- end talent ---

        # --- cultivation ---
        # --- end cultivation ---

        # --- loan ---
        from gongjian.kernel import figures

        from .selectors.loan import loan_figures

        figures.offer(figures.Source("loans", _("小额贷款"), {
            "applied": _("申请笔数"), "loans": _("放款笔数"), "amount": _("放款金额（元）"),
            "jobs": _("带动就业（人）"), "overdue": _("逾期笔数"), "overdue_rate": _("逾期率（%）"),
            "subsidy": _("贴息金额（元）")}, loan_figures))
        # --- end loan ---

        # --- demonstration ---
        # --- end demonstration ---
