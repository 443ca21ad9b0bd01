from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "gongjian.support"
    label = "support"
    verbose_name = _("维权与关爱")

    def ready(self) -> None:
        from datetime import time

        from gongjian.kernel import schedule
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        schedule.register(schedule.Job("support-cases-sweep", _("维权案件超期提醒和上报"), "support_cases_sweep",
                                       at=time(7, 30)))
        schedule.register(schedule.Job("support-care-sweep", _("爱心妈妈走访提醒"), "support_care_sweep",
                                       at=time(7, 40)))

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
            "referred": _("转介案件"), "overdue": _("超期案件")}, provide_figures, suppress_below=SMALL,
            additive=frozenset({"received", "closed", "risk"})))
        register_portal_section("portal/support/case/_section.html")
        # --- end case_public ---

        # --- care ---
        from gongjian.kernel import figures as care_figures
        from gongjian.kernel import pairings as care_pairings
        from gongjian.kernel.models import PairingPurpose

        from .models.care import RecipientCategory
        from .selectors.care import provide_figures as care_provide

        care_pairings.register_purpose(PairingPurpose.CARE, view="support.view_pairing",
                                       manage="support.manage_pairing")
        care_figures.offer(care_figures.Source("care", _("关爱对象和爱心妈妈结对"), {
            "recipients": _("在册关爱对象"), **{c.value: c.label for c in RecipientCategory},
            "pairings": _("正在结对"), "visits": _("走访次数"), "overdue": _("超过联系周期未走访的结对")},
            care_provide, additive=frozenset({"visits"})))
        # --- end care ---

        # --- service ---
        from gongjian.kernel import figures
        from gongjian.kernel.navigation import register_portal_section

        from .selectors.service import HEALTH_CODES, SITE_CODES, health_figures, site_figures

        figures.offer(figures.Source("health", _("妇女健康服务"), HEALTH_CODES, health_figures, additive=frozenset(HEALTH_CODES)))
        figures.offer(figures.Source("sites", _("维权与关爱服务站点"), SITE_CODES, site_figures))
        # The hotlines a woman in danger needs come right after the disclosure boards.
        register_portal_section("portal/support/service/_section.html", order=20)
        # --- end service ---
