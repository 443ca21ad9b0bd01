from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "gongjian.disclosure"
    label = "disclosure"
    verbose_name = _("党务公开")

    def ready(self) -> None:
        from datetime import time

        from gongjian.kernel import schedule

        schedule.register(schedule.Job("disclosure-sweep", _("党务公开每日检查（到期公开、逾期提醒、签发树头）"),
                                       "disclosure_sweep", at=time(0, 30)))
        from gongjian.kernel.navigation import NavItem, register, register_portal_section

        from . import rules  # noqa: F401  (registers the permissions)

        register(NavItem(_("党务公开"), "disclosure:list", "disclosure.view_disclosure",
                         _("拟稿、审核备案、公开、整改，全程留痕"), order=20))
        register(NavItem(_("意见箱"), "disclosure:suggestion-list", "disclosure.view_suggestion",
                         _("群众意见的分派、答复和期限"), order=21))
        register(NavItem(_("公开日程"), "disclosure:calendar", "disclosure.view_calendar",
                         _("定期公开事项的到期、逾期和按时情况"), order=22))
        register(NavItem(_("督查"), "disclosure:inspection-list", "disclosure.view_inspection",
                         _("六个方面打分、整改期限和排名"), order=23))
        register_portal_section("portal/disclosure/_section.html", order=10)

        # --- issue 14: drafts ---
        from gongjian.kernel import documents, figures

        from .drafts import offered as drafters_offered
        from .figures import CODES, provide

        figures.offer(figures.Source("disclosure", _("党务公开"), CODES, provide, additive=frozenset(CODES)))
        for drafter in drafters_offered():
            documents.offer(drafter)
        # --- end issue 14: drafts ---

        from gongjian.kernel import attachments

        attachments.pin_source(_published_files)


def _published_files() -> "QuerySet[Any]":
    """A published attachment's digest is a leaf of the log (T-03): its bytes are never rewritten."""
    from .models import VersionAttachment

    return VersionAttachment.objects.values_list("stored_id", flat=True)
