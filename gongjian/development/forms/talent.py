"""Forms of the talent pool pages: they show and collect; the woman picked is re-read through the
scoped selector here and checked again in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import User
from gongjian.kernel.selectors import person_get_for_user

from ..models import Talent, TalentKind


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class PersonField(forms.IntegerField):
    """A woman picked from the search results, re-read through the scoped selector."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user: User | None = None
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("error_messages", {"required": _("请先搜索并选择她本人。")})
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        pk = super().clean(value)
        out_of_reach = ValidationError(_("请选择您管辖范围内的人员。"))
        if self.user is None:
            raise out_of_reach
        try:
            return person_get_for_user(user=self.user, person_id=pk)
        except Http404 as exc:
            raise out_of_reach from exc


class TalentForm(forms.ModelForm):
    """Collect or change an entry; the reporting organisation is the one she acts for."""

    person = PersonField(label=_("姓名"))

    class Meta:
        model = Talent
        fields = ["person", "kind", "trade", "skills", "enterprise", "income", "jobs", "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"kind": {"required": _("请选择人才类别。")},
                          "trade": {"required": _("请填写从事的行业，如“苹果种植”。")},
                          "jobs": {"required": _("请填写带动就业人数（没有填 0）。"),
                                   "invalid": _("带动就业人数应为整数。")},
                          "income": {"invalid": _("年收入应为数字（万元）。")}}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].user = user
        fields["kind"].choices = [("", "---------"), *TalentKind.choices]
        fields["jobs"].widget.attrs["inputmode"] = "numeric"
        fields["income"].widget.attrs["inputmode"] = "decimal"
        if self.instance.pk:
            self.initial.setdefault("person", self.instance.person_id)
        _style(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AttachForm(forms.Form):
    file = forms.FileField(label=_("证明材料（PDF、Word、Excel 或照片）"), error_messages={"required": _("请选择文件。")})
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退回理由。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
