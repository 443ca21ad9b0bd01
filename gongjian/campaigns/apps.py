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
        from gongjian.kernel import figures

        from .selectors.campaign import plan_figures

        figures.offer(figures.Source("campaigns", _("创先争优"), {
            "plans_submitted": _("报送活动方案"), "plans_on_time": _("按时报送活动方案")}, plan_figures))
        # --- end campaigns ---

        # --- assessments ---
        # --- end assessments ---

        # --- pledges ---
        # --- end pledges ---

        # --- commendations ---
        # --- end commendations ---

        # --- study & supervision ---
        # --- end study & supervision ---
