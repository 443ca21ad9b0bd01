from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "gongjian.kernel"
    label = "kernel"
    verbose_name = _("基础")

    def ready(self) -> None:
        from datetime import time, timedelta

        from . import schedule

        schedule.register(schedule.Job("kernel-housekeeping", _("日常清理"), "housekeeping", every=timedelta(hours=1)))
        schedule.register(schedule.Job("kernel-audit-checkpoint", _("审计记录检查点"), "audit_checkpoint",
                                       every=timedelta(hours=1)))
        schedule.register(schedule.Job("kernel-dormant-accounts", _("停用长期未使用的账户"), "dormant_accounts",
                                       at=time(3, 0)))
        schedule.register(schedule.Job("kernel-retention", _("清除到期的个人信息"), "retention_purge",
                                       at=time(3, 30)))
        # 待办 pushed to group robots and by SMS (ADR 0046): every minute, failures backed off per channel.
        schedule.register(schedule.Job("kernel-pushes", _("推送待办到钉钉、企业微信和短信"), "push_deliver",
                                       every=timedelta(minutes=1), retries=0))
        schedule.register(schedule.Job("kernel-backup", _("备份数据库和上传文件"), "backup", at=time(2, 0)))
        schedule.register(schedule.Job("kernel-wal-archive", _("检查 WAL 归档（按时间点恢复）"), "pitr_check",
                                       every=timedelta(hours=1)))
        schedule.register(schedule.Job("kernel-restore-drill", _("恢复演练（每周）"), "restore_drill",
                                       at=time(4, 0), weekday=6))
        from . import principal, signals  # noqa: F401  (login/lock-out audit receivers; snapshot stamps)
        from .navigation import NavItem, register

        register(NavItem(_("组织"), "kernel:organization-tree", "kernel.view_organization",
                         _("组织架构、职务和成员名单"), order=80))
        register(NavItem(_("人员"), "kernel:person-list", "kernel.view_person",
                         _("登记、查找本辖区人员"), order=90))
