"""Forms of 督查指导, meetings and research reports (choices limited to the user's reach; the
services check again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access
from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization, Person, User

from ..models import MeetingKind
from ..services.supervision import STRICTLY_BELOW
from .study import DateInput, campaign_field, visible_campaigns


def _date(label: Any) -> forms.DateField:  # a lazy string
    return forms.DateField(label=label, widget=DateInput(), error_messages={
        "required": _("请填写%(label)s。") % {"label": label}, "invalid": _("日期格式不对。")})


class VisitForm(forms.Form):
    visited = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("被督查组织"), error_messages={
        "required": _("请选择被督查组织。"), "invalid_choice": _("被督查的须是本组织下级的组织。")})
    visited_on = _date(_("督查日期"))
    campaign = campaign_field()
    participants = forms.CharField(label=_("参加人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("督查组成员及被督查单位参加人员"))
    findings = forms.CharField(label=_("督查发现"), widget=forms.Textarea(attrs={"rows": 6}),
                               error_messages={"required": _("请填写督查发现的情况和问题。")})

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data, initial={"visited_on": timezone.localdate()})
        fields: dict[str, Any] = self.fields
        fields["visited"].queryset = access.visible(
            user, Organization.objects.filter(is_active=True).order_by("path"), reach=STRICTLY_BELOW)
        fields["campaign"].queryset = visible_campaigns(user)
        style_fields(self)


class FollowUpForm(forms.Form):
    item = forms.CharField(label=_("整改事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("请填写整改事项。")})
    due_on = _date(_("整改期限"))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}),
                             error_messages={"required": _("请填写整改情况。")})

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退回原因。")})

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)


def attendee_choices(user: User) -> Any:
    """People in reach who hold a current position (the cadres a meeting is usually of)."""
    today = timezone.localdate()
    holders = Person.objects.filter(positions__start_date__lte=today).exclude(
        positions__end_date__lt=today).values("pk")
    return access.visible(user, Person.objects.filter(pk__in=holders).select_related("organization")
                          .order_by("organization__path", "name", "id"))


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices,
                             error_messages={"required": _("请选择会议类型。")})
    title = forms.CharField(label=_("会议名称"), max_length=200, error_messages={"required": _("请填写会议名称。")})
    held_on = _date(_("召开日期"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    campaign = campaign_field()
    head_count = forms.IntegerField(label=_("参会人数"), min_value=1, max_value=100_000, error_messages={
        "required": _("请填写参会人数。"), "invalid": _("请填写数字。"),
        "min_value": _("参会人数至少1人。"), "max_value": _("参会人数太多了。")})
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": _("请填写会议纪要。")})
    attendees = forms.ModelMultipleChoiceField(queryset=Person.objects.none(), label=_("参会人员（可选）"),
                                               required=False, widget=forms.CheckboxSelectMultiple,
                                               error_messages={"invalid_choice": _("请选择您管辖范围内的人员。")})

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data, initial={"held_on": timezone.localdate()})
        fields: dict[str, Any] = self.fields
        fields["campaign"].queryset = visible_campaigns(user)
        fields["attendees"].queryset = attendee_choices(user)
        fields["attendees"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        style_fields(self)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    written_on = _date(_("报告日期"))
    campaign = campaign_field()
    body = forms.CharField(label=_("报告正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    attachment = forms.FileField(label=_("附件"), required=False, help_text=_("PDF、Word、Excel 或图片，不超过20MB"))

    def __init__(self, data: Any = None, files: Any = None, *, user: User) -> None:
        super().__init__(data, files, initial={"written_on": timezone.localdate()})
        fields: dict[str, Any] = self.fields
        fields["campaign"].queryset = visible_campaigns(user)
        style_fields(self)
