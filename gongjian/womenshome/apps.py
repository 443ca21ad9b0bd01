from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WomensHomeConfig(AppConfig):
    name = "gongjian.womenshome"
    label = "womenshome"
    verbose_name = _("妇女之家")

    def ready(self) -> None:
        from gongjian.kernel import figures, notices
        from gongjian.kernel.navigation import NavItem, register, register_portal_section

        from . import stats
        from .models import Honour

        register(NavItem(_("妇女之家"), "womenshome:dashboard", "womenshome.view",
                         _("阵地覆盖、活动、培训、签到和统计"), order=10))
        register(NavItem(_("活动"), "womenshome:activity-list", "womenshome.view",
                         _("登记活动、参加人员和照片，扫码签到"), order=11))
        register(NavItem(_("荣誉评选"), "womenshome:honour-list", "womenshome.view",
                         _("文明家庭、好婆媳、道德模范：推荐、审核、公示"), order=12))
        register_portal_section("portal/womenshome/_section.html")
        notices.register_kind(Honour, manage_permission="womenshome.decide_honour", label=_("荣誉推荐人选公示"))
        # Activities, trainings, people … for the campaigns, the documents and the county report
        # (bodies of work meet in the kernel); every code honours a campaign line (Activity.line).
        figures.offer(figures.Source("womenshome", _("妇女之家"), stats.OFFERED, stats.offered,
                                     taggable=frozenset(stats.OFFERED), additive=frozenset(stats.OFFERED) - {"people_trained"}))
        # 妇女之家 coverage as it stands, for the county report (issue 14; never summed over months).
        figures.offer(figures.Source("coverage", _("妇女之家覆盖"), stats.COVERAGE_OFFERED, stats.coverage_offered))
