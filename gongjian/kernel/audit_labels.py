"""The audit log in Chinese: a name for each dotted event code, each changed field and its values.

An event code reads ``app.subject.verb`` ("womenshome.honour.on_notice"). Its name is put together
from the subject (what was acted on) and the verb (what happened): "荣誉推荐 · 进入公示". The
verbs shared by every app are named here; each app names its subjects, and any event that reads
better whole, in its own ``audit_events.py`` (``SUBJECTS``, ``EVENTS``, ``FIELDS`` dicts of lazy
strings), found the way Django finds ``admin.py``. A subject that is a model of the app needs no
entry: the model's verbose name is used. Field names fall back to the model's field labels.

The raw code stays in the record and one click away on the page (for the auditor, who may search
by it); nothing here changes what is stored.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "accepted": _("已受理"), "activated": _("已启用"), "added": _("已添加"), "adopted": _("已采纳"),
    "answered": _("已答复"), "applied": _("已申请"), "approved": _("审核通过"), "assigned": _("已分派"),
    "attendance": _("登记出席"), "awarded": _("已授予"), "changed": _("已修改"), "checked": _("已核查"),
    "closed": _("已结束"), "comment_received": _("收到意见"), "comment_shown": _("意见已公开"),
    "confirmed": _("已确认"), "created": _("已新建"), "created_for_kind": _("按类别新建"),
    "deactivated_dormant": _("长期未用，已停用"), "declined": _("已谢绝"), "denied": _("被拒绝"),
    "designated": _("已认定"), "disbursed": _("已发放"), "drafted": _("已起草"), "edited": _("已修改"),
    "ended": _("已结束"), "escalated": _("已上报"), "evaluated": _("已评价"), "event": _("事件"),
    "evidence_added": _("补充了佐证材料"), "expired": _("已过期"), "exported": _("已导出"),
    "feedback": _("已反馈"), "file_added": _("添加了附件"), "followed_up": _("已跟进"),
    "forwarded": _("已转交"), "imported": _("已导入"), "issued": _("已印发"), "loaded": _("已载入"),
    "login": _("登录"), "logout": _("退出登录"), "meeting_added": _("添加了会议记录"),
    "meeting_recorded": _("记录了会议"), "member_added": _("添加了成员"), "member_removed": _("移除了成员"),
    "nominated": _("已推荐"), "not_accepted": _("不予受理"), "not_awarded": _("未予授予"),
    "offered": _("已提供"), "on_notice": _("进入公示"), "opened": _("已开启"), "paired": _("已结对"),
    "password_changed": _("修改了密码"), "photo_added": _("添加了照片"), "photo_cleaned": _("照片已清理"),
    "photo_deleted": _("删除了照片"), "photo_visibility": _("更改了照片公开范围"),
    "photos_cleaned": _("照片已批量清理"), "progress": _("登记了进度"), "proposed": _("已提名"),
    "public_lookup": _("群众查询"), "published": _("已公开"), "purged": _("已按期清除"),
    "ranking_exported": _("导出了排名"), "read": _("已阅"), "received": _("已收到"),
    "received_online": _("网上收到"), "recorded": _("已登记"), "recovery_code_used": _("使用了恢复码"),
    "rectification_required": _("要求整改"), "referred": _("已转介"), "registered": _("已登记"),
    "rejected": _("未通过"), "remembered_device_used": _("使用了已记住的设备"), "removed": _("已移除"),
    "repaid": _("已还款"), "replied": _("已回复"), "reported": _("已报送"), "resolved": _("已办结"),
    "resubmitted": _("重新提交"), "returned": _("已退回"), "revealed": _("查看了完整信息"),
    "reviewed": _("已审核"), "revoked": _("已吊销"), "role_changed": _("更改了角色"), "scored": _("已评分"),
    "second_factor_enrol_failed": _("两步验证绑定失败"), "second_factor_enrolled": _("绑定了两步验证"),
    "second_factor_failed": _("两步验证失败"), "second_factor_locked": _("两步验证已锁定"),
    "second_factor_reset": _("重置了两步验证"), "set": _("已设定"), "step_added": _("添加了步骤"),
    "subsidy_recorded": _("登记了补贴"), "submitted": _("已提交"),
    "switched_organization": _("切换了代表组织"), "token_issued": _("签发了接口令牌"),
    "token_revoked": _("吊销了接口令牌"), "unlocked": _("已解锁"), "updated": _("已更新"),
    "withdrawn": _("已撤回"), "write": _("写入"), "written": _("已写入"), "deleted": _("已删除"),
    "upheld": _("异议成立"), "hold_set": _("设为暂缓清除"), "hold_lifted": _("解除暂缓清除"),
    "rebuilt": _("已重新汇总"), "refreshed": _("已刷新"), "pending": _("待确认"), "draft": _("草稿"),
    "not_selected": _("未入选"), "self_assessed": _("已自评"), "self_saved": _("暂存了自评"),
    "comment_hidden": _("隐藏了留言"), "decided": _("已作出决定"), "refused": _("不予批准"),
    "deactivated": _("已停用"), "locked_out": _("多次失败，已锁定"), "login_failed": _("登录失败"),
}

# Keys of ``changes`` that are not a field of the record's model, shared by every app.
FIELDS: dict[str, Any] = {
    "reason": _("理由"), "state": _("状态"), "note": _("备注"), "comment": _("意见"), "rows": _("行数"),
    "count": _("数量"), "created": _("新建数"), "size": _("大小"), "to": _("改为"), "file": _("文件"),
    "detail": _("详情"), "details": _("详情"), "filters": _("筛选条件"), "path": _("路径"),
    "permission": _("权限"), "role": _("角色"), "result": _("结果"), "since": _("起始"), "by": _("经办"),
    "method": _("方式"), "channel": _("渠道"), "days": _("天数"), "photos": _("照片"), "photo": _("照片"),
    "revealed": _("查看的信息"), "cleaned": _("已清理"), "thumbnails": _("缩略图"), "model": _("记录类型"),
    "object_id": _("对象编号"), "field": _("字段"), "length": _("长度"), "left": _("剩余"),
    "last_login": _("上次登录"), "organizations": _("组织"), "places": _("地点"), "targets": _("对象"),
    "answer": _("答复"), "upheld": _("异议成立"), "update": _("更新内容"), "i": _("序号"),
    "old": _("原值"), "new": _("新值"),
}

VALUES: dict[Any, Any] = {True: _("是"), False: _("否"), None: _("（空）"), "": _("（空）")}

_subjects: dict[str, Any] = {}
_events: dict[str, Any] = {}
_fields: dict[str, Any] = {}


@cache
def _discover() -> None:
    """Load every app's ``audit_events`` module once (the first time a name is asked for)."""
    autodiscover_modules("audit_events", register_to=None)
    for config in apps.get_app_configs():
        module = getattr(config.module, "audit_events", None)
        if module is None:
            continue
        for name, value in getattr(module, "SUBJECTS", {}).items():
            _subjects[f"{config.label}.{name}"] = value
        _events.update(getattr(module, "EVENTS", {}))
        _fields.update(getattr(module, "FIELDS", {}))


def _model(label: str) -> type[models.Model] | None:
    app_label, _dot, name = label.partition(".")
    try:
        return apps.get_model(app_label, name.replace("_", ""))
    except (LookupError, ValueError):
        return None


def subject_label(app_label: str, subject: str) -> str | None:
    _discover()
    named = _subjects.get(f"{app_label}.{subject}")
    if named is not None:
        return str(named)
    model = _model(f"{app_label}.{subject}")
    return str(model._meta.verbose_name) if model is not None else None


def event_label(code: str) -> str:
    """"womenshome.honour.on_notice" -> "荣誉推荐 · 进入公示"; an unknown code is shown as it is."""
    _discover()
    if code in _events:
        return str(_events[code])
    parts = code.split(".")
    if len(parts) != 3:
        return code
    subject, verb = subject_label(parts[0], parts[1]), VERBS.get(parts[2])
    if subject is None or verb is None:
        return code
    return f"{subject} · {verb}"


def field_label(key: str, object_type: str = "") -> str:
    _discover()
    model = _model(object_type) if object_type else None
    if model is not None:
        try:
            named = getattr(model._meta.get_field(key), "verbose_name", None)
        except FieldDoesNotExist:
            named = None
        if named:
            return str(named)
    return str(_fields.get(key) or FIELDS.get(key) or key)


def value_label(value: Any, key: str = "", object_type: str = "") -> str:
    """A stored value as a person reads it: 是/否, a choice's label, old → new, lists joined."""
    if isinstance(value, dict):
        if set(value) <= {"old", "new"} and value:
            return f"{value_label(value.get('old'), key, object_type)} → {value_label(value.get('new'), key, object_type)}"
        return "；".join(f"{field_label(k, object_type)}：{value_label(v, k, object_type)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(value_label(v, key, object_type) for v in value) or str(VALUES[None])
    if isinstance(value, bool) or value is None or value == "":
        return str(VALUES[value])
    model = _model(object_type) if object_type and key else None
    if model is not None:
        try:
            choices = dict(getattr(model._meta.get_field(key), "flatchoices", None) or [])
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    return str(value)


def changes_rows(changes: dict[str, Any], object_type: str = "") -> list[tuple[str, str]]:
    """The ``changes`` of one event as (field label, value) pairs, in the stored order."""
    if not isinstance(changes, dict):
        return [(str(FIELDS["detail"]), str(changes))]
    return [(field_label(k, object_type), value_label(v, k, object_type)) for k, v in changes.items()]
