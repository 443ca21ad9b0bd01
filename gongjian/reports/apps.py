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
        from gongjian.kernel import figures as news_figures
        from gongjian.kernel.navigation import register_portal_section as news_portal_section

        from .selectors.news import FIGURE_CODES as NEWS_CODES
        from .selectors.news import provide_figures as news_provide

        # 信息报送: pieces submitted and adopted per organisation's subtree (the county report reads them).
        news_figures.offer(news_figures.Source("news", _("信息报送"), NEWS_CODES, news_provide,
                                             additive=frozenset(NEWS_CODES)))
        news_portal_section("portal/reports/news/_section.html", order=30)
        # --- end news ---
        # --- county ---
        from datetime import time as county_time

        from gongjian.kernel import schedule

        # The county report's monthly roll-ups: the last closed months each night, everything weekly.
        schedule.register(schedule.Job("reports-county-rollup", _("全县工作报告月度汇总（最近几个月）"),
                                       "reports_county_rollup", at=county_time(2, 40)))
        schedule.register(schedule.Job("reports-county-rebuild", _("全县工作报告月度汇总（全部重算）"),
                                       "reports_county_rollup", args=("--rebuild",), at=county_time(3, 10),
                                       weekday=6))
        # --- end county ---
