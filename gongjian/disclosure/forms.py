"""Forms parse and render; the services check and decide (their messages land on the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REGULAR_PERIODS, Category, Channel, Inspection, Scope, Stage, Timing


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (big tap targets come from the site CSS)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            field.error_messages["required"] = _("请填写“%(label)s”。") % {"label": field.label}
            if "invalid" in field.error_messages and isinstance(field, forms.DateField):
                field.error_messages["invalid"] = _("日期格式不正确，应为 2026-01-31 这样的形式。")
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class DisclosureForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("公开内容类别"), choices=Category.choices)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
                           help_text=_("空一行为分段。"))
    channels = forms.MultipleChoiceField(label=_("公开形式"), choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple, initial=[Channel.BOARD, Channel.WEB])
    timing = forms.ChoiceField(label=_("公开时间"), choices=Timing.choices,
                               help_text=_("固定性内容长期公开；常规性工作定期更换；阶段性工作逐段公开；临时性工作随时公开；热点问题及时公开。"))
    period = forms.ChoiceField(label=_("更换周期（常规性工作）"), choices=[("", "—"), *REGULAR_PERIODS], required=False)
    scope = forms.ChoiceField(label=_("公开范围"), choices=Scope.choices, initial=Scope.PUBLIC)
    public_from = forms.DateField(label=_("向社会公开日期（先党内后党外）"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    stage = forms.ChoiceField(label=_("稿别"), choices=Stage.choices, initial=Stage.FINAL,
                              help_text=_("关系群众切身利益的重大事项可先公开征求意见稿。"))
    opinions_until = forms.DateField(label=_("征求意见截止日期"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    is_major = forms.BooleanField(label=_("重大或敏感事项（须经全体党员会议讨论决定）"), required=False)
    correction_note = forms.CharField(label=_("更正/修订说明（再次公开时必填，向社会公开）"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("附件（PDF、图片、Word、Excel，每个不超过20MB）"), required=False)

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "attachments"}
        return data


class MeetingForm(StyledForm):
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    members_expected = forms.IntegerField(label=_("应到党员（人）"), min_value=1)
    members_present = forms.IntegerField(label=_("实到党员（人）"), min_value=0)
    resolution = forms.CharField(label=_("会议决议"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.FileField(label=_("会议记录（PDF或图片）"), required=False)


class ReviewForm(StyledForm):
    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WithdrawForm(StyledForm):
    reason = forms.CharField(label=_("撤回说明（向社会公开）"), widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(StyledForm):
    description = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SuggestionPublicForm(StyledForm):
    content = forms.CharField(label=_("您的意见或建议"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2000}))
    contact = forms.CharField(label=_("联系方式（可不填）"), max_length=100, required=False,
                              help_text=_("只用于回复您；不填也能凭查询码查看答复。请勿填写身份证号码。"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class TrackForm(StyledForm):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    password = forms.CharField(label=_("查询密码"), max_length=20,
                               widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class AnswerForm(StyledForm):
    reply = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    public = forms.BooleanField(label=_("公开答复（提出人凭查询码可见；勾选后在事项页面公开）"), required=False)
    needs_rectification = forms.BooleanField(label=_("需要整改（针对的公开事项转入整改）"), required=False)
    rectification_deadline = forms.DateField(label=_("整改期限"), required=False,
                                             widget=forms.DateInput(attrs={"type": "date"}))


class AssignForm(StyledForm):
    assignee = forms.ChoiceField(label=_("承办人"))

    def __init__(self, *args: Any, choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = choices
        self.style()


class InspectionForm(StyledForm):
    organization = forms.ChoiceField(label=_("被检查组织"))
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    rectification_deadline = forms.DateField(label=_("整改期限"), required=False,
                                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organizations: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ChoiceField)
        organization.choices = organizations
        for name, label in Inspection.POINTS:
            self.fields[name] = forms.IntegerField(label=label, min_value=0, max_value=Inspection.MAX_POINT,
                                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.style()


class FollowUpForm(StyledForm):
    note = forms.CharField(label=_("跟踪情况"), widget=forms.Textarea(attrs={"rows": 3}))
    closes = forms.BooleanField(label=_("整改到位，销号"), required=False)
