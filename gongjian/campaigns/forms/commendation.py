"""Forms of the commendation pages: they show and collect; every choice is limited to the user's
reach here and checked again in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, notices
from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import User
from gongjian.kernel.selectors import person_get_for_user, visible_organizations

from ..models import Campaign, Nomination, TitleKind
from ..selectors.commendation import deciding_choices


class PersonField(forms.IntegerField):
    """A person picked from the search results, re-read through the scoped selector."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user: User | None = None
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        pk = super().clean(value)
        if pk is None:
            return None
        out_of_reach = ValidationError(_("请选择您管辖范围内的人员。"))
        if self.user is None:
            raise out_of_reach
        try:
            return person_get_for_user(user=self.user, person_id=pk)
        except Http404 as exc:
            raise out_of_reach from exc


class NominationForm(forms.ModelForm):
    """Draft or change a nomination; the nominating organisation is the one she acts for."""

    person = PersonField(label=_("被推荐人"))

    class Meta:
        model = Nomination
        fields = ["kind", "year", "deciding_organization", "person", "nominee_organization", "public_name",
                  "deeds", "campaign"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 6})}
        error_messages = {"kind": {"required": _("请选择表彰称号。")},
                          "deeds": {"required": _("请写明先进事迹。")},
                          "deciding_organization": {"required": _("请选择表彰单位。")}}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].user = user
        acting = access.acting_organization(user)
        origin = self.instance.organization if self.instance.pk else acting
        fields["kind"].choices = [("", "---------"), *TitleKind.choices]
        year = timezone.localdate().year
        fields["year"] = forms.TypedChoiceField(label=_("年度"), coerce=int, initial=year,
                                                choices=[(y, str(y)) for y in (year - 1, year, year + 1)])
        fields["deciding_organization"].queryset = deciding_choices(origin)
        fields["deciding_organization"].error_messages["invalid_choice"] = _("请选择上级妇联。")
        fields["deciding_organization"].empty_label = None
        fields["nominee_organization"].queryset = visible_organizations(user).order_by("path")
        fields["nominee_organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的组织。")
        fields["nominee_organization"].help_text = _("推荐先进妇联组织时必选；巾帼文明岗可选，或只填写名称。")
        fields["public_name"].required = False
        fields["campaign"].queryset = access.visible(user, Campaign.objects.all()).order_by("-starts_on")
        fields["campaign"].error_messages["invalid_choice"] = _("请选择本单位参加的创先争优活动。")
        if self.instance.pk:
            if self.instance.person is not None:
                self.initial.setdefault("person", self.instance.person.pk)
            del fields["deciding_organization"]
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AttachForm(forms.Form):
    file = forms.FileField(label=_("材料（PDF、Word、Excel 或照片）"), error_messages={"required": _("请选择文件。")})
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核意见"), widget=forms.RadioSelect,
                                 choices=[("approve", _("同意，拟表彰")), ("return", _("退回修改")),
                                          ("reject", _("不予推荐"))],
                                 error_messages={"required": _("请选择审核意见。")})
    reason = forms.CharField(label=_("意见说明（退回或不予推荐时必填）"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class NoticeForm(forms.Form):
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=notices.MAX_DAYS,
                              initial=notices.DEFAULT_DAYS,
                              error_messages={"required": _("请填写公示天数。"),
                                              "min_value": _("公示天数至少 1 天。"),
                                              "max_value": _("公示天数不能超过 60 天。")})
    working_days = forms.BooleanField(label=_("按工作日计算"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
        self.fields["days"].widget.attrs["inputmode"] = "numeric"


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("公示结果"), widget=forms.RadioSelect,
                                 choices=[("award", _("公示期满（无异议或异议不成立），予以表彰")), ("reject", _("不予表彰"))],
                                 error_messages={"required": _("请选择公示结果。")})
    reason = forms.CharField(label=_("说明（不予表彰时必填）"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("请填写答复内容。")})
    upheld = forms.TypedChoiceField(label=_("核实结果"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
                                    choices=[("0", _("异议不成立")), ("1", _("异议成立"))],
                                    error_messages={"required": _("请选择核实结果。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)



