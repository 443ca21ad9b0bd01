from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "gongjian.campaigns"
    label = "campaigns"
    verbose_name = _("创先争优")

    def ready(self) -> None:
        from datetime import time

        from gongjian.kernel import schedule

        schedule.register(schedule.Job("campaigns-sweep", _("创先争优每日提醒"), "campaigns_sweep", at=time(7, 0)))
        schedule.register(schedule.Job("campaigns-supervision-sweep", _("督查整改到期提醒"),
                                       "campaigns_supervision_sweep", at=time(7, 10)))
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        # --- campaigns (core) ---
        register(NavItem(_("创先争优"), "campaigns:campaign-list", "campaigns.view",
                         _("活动方案、阶段安排、方案报送和领导小组"), order=20))
        from gongjian.kernel import figures

        from .selectors.campaign import plan_figures

        figures.offer(figures.Source("campaigns", _("创先争优"), {
            "plans_submitted": _("报送活动方案"), "plans_on_time": _("按时报送活动方案")}, plan_figures,
            additive=frozenset({"plans_submitted", "plans_on_time"})))
        # --- end campaigns ---

        # --- assessments ---
        # --- end assessments ---

        # --- pledges ---
        from gongjian.kernel import figures
        from gongjian.kernel.navigation import register_portal_section

        from .selectors.pledge import provide_figures

        figures.offer(figures.Source("pledges", _("承诺"), {"made": _("作出承诺"), "kept": _("践诺（评诺满意、基本满意）")},
                                     provide_figures, additive=frozenset({"made", "kept"})))
        register_portal_section("portal/campaigns/pledge/_section.html")
        # --- end pledges ---

        # --- commendations ---
        from gongjian.kernel import figures, notices
        from gongjian.kernel.navigation import register_portal_section

        from .models import Nomination
        from .selectors.commendation import figures_provide

        notices.register_kind(Nomination, manage_permission="campaigns.decide_commendation",
                              label=_("表彰推荐对象公示"))
        figures.offer(figures.Source("commendations", _("表彰"),
                                     {"nominated": _("推荐表彰"), "awarded": _("获得表彰")}, figures_provide,
                                     additive=frozenset({"nominated", "awarded"})))
        register_portal_section("portal/campaigns/commendation/_section.html")
        # --- end commendations ---

        # --- study & supervision ---
        from gongjian.kernel import figures

        from .selectors.study import TAGGABLE, provide_figures

        figures.offer(figures.Source("study", _("学习教育"), {
            "notes": _("学习心得篇数"), "documents": _("学习文件"), "meetings": _("推进会、座谈会、现场会"),
            "visits": _("督查指导次数")}, provide_figures, taggable=TAGGABLE,
            additive=frozenset({"notes", "documents", "meetings", "visits"})))
        # --- end study & supervision ---

        # --- issue 14: drafts ---
        from gongjian.kernel import documents

        from .drafts import offered as drafters_offered

        for drafter in drafters_offered():
            documents.offer(drafter)
        # --- end issue 14: drafts ---
