"""Forms of 承诺机制: they show and collect; the services decide (and re-check every choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import User

from ..models import Pledge, PledgeCategory, PledgeRating
from ..selectors import pledge as selectors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PledgeForm(forms.ModelForm):
    """Write (or change a draft of) a pledge of the acting organisation."""

    class Meta:
        model = Pledge
        fields = ["category", "title", "content", "measures", "due_on", "cadre", "campaign", "is_public"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4}), "measures": forms.Textarea(attrs={"rows": 3}),
                   "due_on": DateInput()}
        error_messages = {
            "category": {"required": _("请选择承诺类别。"), "invalid_choice": _("请选择承诺类别。")},
            "title": {"required": _("请填写承诺事项。")},
            "content": {"required": _("请写明承诺内容（至少10个字）。")},
            "due_on": {"required": _("请填写承诺完成时限。"), "invalid": _("日期格式应为 年-月-日。")},
            "cadre": {"invalid_choice": _("请选择本组织的在任干部。")},
            "campaign": {"invalid_choice": _("所选活动不存在或未下发。")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].choices = [("", "---------"), *PledgeCategory.choices]
        fields["cadre"].queryset = selectors.cadre_choices(user=user)
        fields["cadre"].label = _("干部本人承诺（组织承诺不选）")
        fields["cadre"].empty_label = _("（组织承诺）")
        fields["campaign"].queryset = selectors.campaign_choices(user=user)
        fields["campaign"].empty_label = _("（不属于某项活动）")
        fields["content"].validators.append(MinLengthValidator(10, message=_("请写明承诺内容（至少10个字）。")))
        fields["title"].widget.attrs["placeholder"] = _("例如：每月走访留守妇女不少于10户")
        fields["is_public"].help_text = _("公开后群众可在门户查看并留言（留言经审核后显示）")
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ProgressForm(forms.Form):
    """践诺: one progress report, phone first."""

    date = forms.DateField(label=_("日期"), widget=DateInput(),
                           error_messages={"required": _("请填写日期。"), "invalid": _("日期格式应为 年-月-日。")})
    text = forms.CharField(label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请写明进展情况（至少5个字）。")})
    percent = forms.IntegerField(label=_("完成进度（%，选填）"), required=False, min_value=0, max_value=100,
                                 error_messages={"min_value": _("完成进度应在 0 到 100 之间。"),
                                                 "max_value": _("完成进度应在 0 到 100 之间。"),
                                                 "invalid": _("完成进度请填数字。")})
    photo = forms.FileField(label=_("照片（选填，JPG 或 PNG）"), required=False)
    photo_is_public = forms.BooleanField(label=_("照片可在门户公开（请确认照片中的人员同意公开）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["percent"].widget.attrs["inputmode"] = "numeric"
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"
        style_fields(self)


class EvaluateForm(forms.Form):
    """评诺 by the superior organisation."""

    rating = forms.ChoiceField(label=_("评诺结果"), widget=forms.RadioSelect, choices=PledgeRating.choices,
                               error_messages={"required": _("请选择评诺结果。"),
                                               "invalid_choice": _("请选择评诺结果。")})
    comment = forms.CharField(label=_("评诺意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("请填写评诺意见。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("show", _("显示")), ("hide", _("不显示"))],
                                 error_messages={"required": _("请选择是否显示。")})
    reason = forms.CharField(label=_("不显示的原因"), max_length=200, required=False)


class CommentForm(forms.Form):
    """The public's comment: no account, no contact data. `website` is a honeypot: people leave
    it empty (it is hidden), form-filling robots do not."""

    nickname = forms.CharField(label=_("称呼（选填）"), max_length=20, required=False,
                               error_messages={"max_length": _("称呼最多20个字。")})
    content = forms.CharField(label=_("留言"), min_length=5, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
                              error_messages={"required": _("请填写留言内容。"),
                                              "min_length": _("留言至少5个字。"),
                                              "max_length": _("留言最多500个字。")})
    website = forms.CharField(required=False, label=_("网址（请留空）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nickname"].widget.attrs.update({"placeholder": _("例如：小留村村民"), "autocomplete": "off"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        style_fields(self)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
