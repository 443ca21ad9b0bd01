"""Forms of 维权案件: they show and collect; the services decide (and re-check every choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization

from ..models.case import (
    WORK_STEPS,
    CaseCategory,
    CaseChannel,
    CaseOutcome,
    LegalBasis,
    Partner,
    Satisfaction,
    StepKind,
)

#: The ways in a staff member records by hand (online requests come through the portal).
STAFF_CHANNELS = [(v, label) for v, label in CaseChannel.choices if v != CaseChannel.ONLINE]


class RecordForm(forms.Form):
    """来电登记: what a hotline operator records in under a minute."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS, widget=forms.RadioSelect,
                                initial=CaseChannel.HOTLINE_12338,
                                error_messages={"required": _("请选择来源渠道。"), "invalid_choice": _("请选择来源渠道。")})
    category = forms.ChoiceField(label=_("类别"), choices=CaseCategory.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择类别。"), "invalid_choice": _("请选择类别。")})
    summary = forms.CharField(label=_("简要情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请简要写明求助情况（至少2个字）。")})
    contact_mobile = forms.CharField(label=_("回电号码"), max_length=20, required=False)
    risk = forms.BooleanField(label=_("有人身危险（高风险）"), required=False,
                              help_text=_("有威胁、伤害或人身危险时勾选：立即提醒负责人"))
    anonymous = forms.BooleanField(label=_("要求匿名"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_mobile"].widget.attrs.update(inputmode="tel", autocomplete="off",
                                                          placeholder=_("手机或固定电话"))
        self.fields["summary"].widget.attrs["placeholder"] = _("例如：丈夫酒后打人，现在娘家，想咨询怎么办")
        style_fields(self)


class UpdateForm(forms.Form):
    """Complete the details later."""

    category = forms.ChoiceField(label=_("类别"), choices=CaseCategory.choices)
    summary = forms.CharField(label=_("简要情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("请简要写明求助情况（至少2个字）。")})
    narrative = forms.CharField(label=_("详细情况"), max_length=10000, required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    contact_name = forms.CharField(label=_("当事人称呼"), max_length=50, required=False)
    contact_mobile = forms.CharField(label=_("回电号码"), max_length=20, required=False)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    risk = forms.BooleanField(label=_("高风险"), required=False)
    anonymous = forms.BooleanField(label=_("要求匿名（除承办人外看不到称呼和联系方式）"), required=False)
    involves_minor = forms.BooleanField(label=_("涉及未满十四周岁的未成年人"), required=False)
    legal_basis = forms.ChoiceField(label=_("处理敏感个人信息的依据"), choices=LegalBasis.choices)
    consent_at = forms.DateTimeField(label=_("取得同意的时间（以同意为依据时填写）"), required=False,
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"),
                                     error_messages={"invalid": _("时间格式应为 年-月-日 时:分。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_mobile"].widget.attrs["inputmode"] = "tel"
        style_fields(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("不予受理的理由（会告诉当事人）"), max_length=300,
                             error_messages={"required": _("请写明不予受理的理由（会告诉当事人）。")})


class AssignForm(forms.Form):
    handlers = forms.MultipleChoiceField(label=_("承办人"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("请选择本组织在任的工作人员作为承办人。"),
                                                         "invalid_choice": _("请选择本组织在任的工作人员作为承办人。")})

    def __init__(self, *args: Any, candidates: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["handlers"].choices = [(u.pk, u.person.name if u.person else u.username) for u in candidates]


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("办理方式"), choices=[(k.value, k.label) for k in WORK_STEPS],
                             error_messages={"required": _("请选择办理方式。"), "invalid_choice": _("请选择办理方式。")})
    note = forms.CharField(label=_("办理情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请写明办理情况。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = StepKind.CALL
        style_fields(self)


class ReferForm(forms.Form):
    """Up to a federation above (`org:<id>`) or out to a partner (`partner:<value>`)."""

    target = forms.ChoiceField(label=_("转介到"), error_messages={"required": _("请选择转介到上级妇联或有关单位。"),
                                                               "invalid_choice": _("请选择转介到上级妇联或有关单位。")})
    partner_name = forms.CharField(label=_("单位名称（转介到有关单位时填写）"), max_length=100, required=False)
    note = forms.CharField(label=_("转介说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ups = [(f"org:{o.pk}", _("上级妇联：%(name)s") % {"name": o.name}) for o in targets]
        outs = [(f"partner:{v}", label) for v, label in Partner.choices]
        fields: dict[str, Any] = self.fields
        fields["target"].choices = [("", "---------"), *ups, *outs]
        self.targets = {o.pk: o for o in targets}
        style_fields(self)

    def to_kwargs(self) -> dict[str, Any]:
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        if kind == "org":
            org: Organization | None = self.targets.get(int(value))
            return {"to_organization": org}
        return {"to_partner": value, "partner_name": self.cleaned_data["partner_name"]}


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=CaseOutcome.choices,
                                error_messages={"required": _("请选择办理结果。"), "invalid_choice": _("请选择办理结果。")})
    public_reply = forms.CharField(label=_("给当事人的答复（当事人凭查询码可以看到）"), max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 2}),
                                   error_messages={"required": _("请写给当事人的答复（当事人凭查询码可以看到）。")})
    note = forms.CharField(label=_("内部说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("回访结果"), choices=Satisfaction.choices,
                                     error_messages={"required": _("请选择回访结果。"),
                                                     "invalid_choice": _("请选择回访结果。")})
    note = forms.CharField(label=_("回访情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reopen = forms.BooleanField(label=_("不满意，重新办理"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReplyForm(forms.Form):
    public_reply = forms.CharField(label=_("给当事人的答复"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                                   error_messages={"required": _("请填写给当事人的答复。")})
