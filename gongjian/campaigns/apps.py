from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "gongjian.campaigns"
    label = "campaigns"
    verbose_name = _("创先争优")

    def ready(self) -> None:
        from gongjian.kernel.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the reaches and permissions)

        # --- campaigns (core) ---
        register(NavItem(_("创先争优"), "campaigns:campaign-list", "campaigns.view",
                         _("活动方案、阶段安排、方案报送和领导小组"), order=20))
        # --- end campaigns ---

        # --- assessments ---
        # --- end assessments ---

        # --- pledges ---
        # --- end pledges ---

        # --- commendations ---
        # --- end commendations ---

        # --- study & supervision ---
        from gongjian.kernel import figures

        from .selectors.study import TAGGABLE, provide_figures

        figures.offer(figures.Source("study", _("学习教育"), {
            "notes": _("学习心得篇数"), "documents": _("学习文件"), "meetings": _("推进会、座谈会、现场会"),
            "visits": _("督查指导次数")}, provide_figures, taggable=TAGGABLE))
        # --- end study & supervision ---
