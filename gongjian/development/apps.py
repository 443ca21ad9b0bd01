from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "gongjian.development"
    label = "development"
    verbose_name = _("巾帼致富")

    def ready(self) -> None:
        from datetime import time

        from gongjian.kernel import schedule

        schedule.register(schedule.Job("development-loans-sweep", _("小额贷款还款提醒"), "development_loans_sweep",
                                       at=time(7, 20)))
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        register(NavItem(_("巾帼致富"), "development:home", "development.view",
                         _("人才库、党员推荐培养、小额贷款、示范基地和劳动力转移"), order=30))

        # --- talent ---
        from gongjian.kernel import figures

        from .selectors.talent import figures_provide as talent_figures

        figures.offer(figures.Source("talents", _("妇女人才库"), {
            "reported": _("上报人才"), "accepted": _("新入库人才"), "pool": _("人才库人数"),
            "jobs": _("入库人才带动就业"), "trained": _("参加培训的人才")}, talent_figures,
            additive=frozenset({"reported", "accepted"})))
        # --- end talent ---

        # --- cultivation ---
        from gongjian.kernel import figures

        from .selectors.cultivation import provide_figures as cultivation_figures

        figures.offer(figures.Source("cultivation", _("党员推荐培养"), {
            "recommended": _("推荐党员培养对象"), "activists": _("确定为入党积极分子"),
            "developed": _("发展为预备党员"), "members": _("转为正式党员")}, cultivation_figures,
            additive=frozenset({"recommended", "activists", "developed", "members"})))
        # --- end cultivation ---

        # --- loan ---
        from gongjian.kernel import figures

        from .selectors.loan import loan_figures

        figures.offer(figures.Source("loans", _("小额贷款"), {
            "applied": _("申请笔数"), "loans": _("放款笔数"), "amount": _("放款金额（元）"),
            "jobs": _("带动就业（人）"), "overdue": _("逾期笔数"), "overdue_rate": _("逾期率（%）"),
            "subsidy": _("贴息金额（元）")}, loan_figures,
            additive=frozenset({"applied", "loans", "amount", "jobs", "subsidy"})))
        # --- end loan ---

        # --- demonstration ---
        from gongjian.kernel import figures, pairings
        from gongjian.kernel.models import PairingPurpose
        from gongjian.kernel.navigation import register_portal_section

        from .selectors.demonstration import provide_figures

        pairings.register_purpose(PairingPurpose.DEVELOPMENT, view="development.view_pairing",
                                  manage="development.manage_pairing")
        figures.offer(figures.Source("demonstrations", _("巾帼科技致富示范和转移就业"), {
            "designated": _("认定的示范村、基地和示范户"), "women": _("示范带动妇女人数"),
            "placements": _("转移就业人数"), "placed_away": _("外出务工人数")}, provide_figures,
            additive=frozenset({"placements", "placed_away"})))
        register_portal_section("portal/development/_section.html")
        # --- end demonstration ---
