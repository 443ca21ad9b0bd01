"""Forms of the portal's 网上求助 and case lookup, and of the statistics period. The rules live in
the service (`services.case_public._clean`); these forms collect and show."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields

from ..models.case import CaseCategory
from ..selectors.case_public import help_organizations
from ..services.case_public import CALL_NOTE_MAX, NAME_MAX, NARRATIVE_MAX, SUMMARY_MAX


class OnlineHelpForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("向哪个妇联求助"), coerce=int, choices=(),
                                          help_text=_("选您所在的乡镇（街道）或村（社区）妇联"),
                                          error_messages={"required": _("请选择您所在的乡镇（街道）或村（社区）妇联。"),
                                                          "invalid_choice": _("请选择您所在的乡镇（街道）或村（社区）妇联。")})
    category = forms.ChoiceField(label=_("遇到了什么问题"), choices=[("", _("请选择"))] + CaseCategory.choices,
                                 error_messages={"required": _("请选择求助的类别。")})
    summary = forms.CharField(label=_("简单说一说发生了什么"), max_length=SUMMARY_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请简单说一说发生了什么。")})
    narrative = forms.CharField(label=_("详细经过（可不填）"), max_length=NARRATIVE_MAX, required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    risk = forms.BooleanField(label=_("我现在受到威胁或伤害，有危险"), required=False,
                              help_text=_("勾选后会立即提醒妇联负责人。正在发生危险请先拨打110。"))
    contact_name = forms.CharField(label=_("怎么称呼您（可不填）"), max_length=NAME_MAX, required=False,
                                   help_text=_("例如：王女士。不需要写真实姓名"))
    contact_mobile = forms.CharField(label=_("回电号码（可不填）"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    call_note = forms.CharField(label=_("什么时候方便接电话（可不填）"), max_length=CALL_NOTE_MAX, required=False,
                                help_text=_("例如：工作日上午；家人在时不要打；不要留言"))
    anonymous = forms.BooleanField(label=_("我要求匿名"), required=False,
                                   help_text=_("除承办人外，任何人都看不到您的称呼和号码"))
    consent = forms.BooleanField(label=_("我同意妇联工作人员为帮助我而使用以上信息"),
                                 error_messages={"required": _("请勾选同意，我们才能用这些信息帮助您。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ChoiceField)
        organization.choices = [("", _("请选择")), *help_organizations()]
        style_fields(self)


class TrackCaseForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    password = forms.CharField(label=_("查询密码"), max_length=30,
                               widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def period(self, today: date) -> tuple[date, date]:
        """The period asked (this year so far by default; the dates swapped if given backwards)."""
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or date(today.year, 1, 1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)
