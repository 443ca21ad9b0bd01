from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .identity import validate_id_number, validate_mobile
from .models import Organization, Person, Region
from .selectors import visible_organizations

T = TypeVar("T")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top when no field fits)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def run_service(request: HttpRequest, form: forms.BaseForm, action: Callable[[], T],
                done: str | Callable[[T], str],
                then: Callable[[T], HttpResponse] | None = None) -> HttpResponse | None:
    """A full-page form's POST. When the form is valid, run the service (`action()`): a
    ValidationError it raises goes onto the form (`add_service_errors`) and None comes back, for
    the view to show the form again; otherwise the success message (`done`, or `done(result)`)
    is queued and `then(result)` comes back (by default a redirect to what the service made)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return then(result) if then is not None else redirect(result)  # type: ignore[call-overload]  # a model instance


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错5次，账户将被锁定30分钟。"),
        "inactive": _("用户名或密码不正确。连续输错5次，账户将被锁定30分钟。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control form-control-lg"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "class": "form-control form-control-lg"})


class PersonForm(forms.ModelForm):
    """Person create/edit. Every choice of organisation or place is re-checked against scope."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False,
                                help_text=_("18位，末位可为X；出生日期和性别将自动识别"))
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)

    class Meta:
        model = Person
        fields = ["name", "id_number", "gender", "birth_date", "mobile", "ethnicity",
                  "political_status", "organization", "home_region", "party_organization"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}
        error_messages = {"name": {"required": _("请填写姓名。")}}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = visible_organizations(user)
        fields: dict[str, Any] = self.fields
        fields["organization"].queryset = orgs
        fields["organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的组织。")
        fields["party_organization"].queryset = orgs.filter(kind__in=Organization.PARTY_KINDS)
        fields["party_organization"].required = False
        fields["home_region"].queryset = Region.objects.filter(
            organizations__in=orgs, level__in=[Region.Level.VILLAGE, Region.Level.COMMUNITY]
        ).distinct()
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        if self.instance.pk:
            # The stored number is never put back into the page; leaving it blank keeps it.
            self.initial["id_number"] = ""
            self.initial["mobile"] = ""
            self.fields["id_number"].help_text = _("已登记：%(masked)s。留空表示不修改。") % {
                "masked": self.instance.id_number_masked or "—"}
            self.fields["mobile"].help_text = _("已登记：%(masked)s。留空表示不修改。") % {
                "masked": self.instance.mobile_masked or "—"}
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("请填写姓名。"))
        return name

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if not raw:
            return self.instance.id_number if self.instance.pk else ""
        info = validate_id_number(raw)
        self._id_info = info
        return info.number

    def clean_mobile(self) -> str:
        raw = self.cleaned_data.get("mobile", "")
        if not raw:
            return self.instance.mobile if self.instance.pk else ""
        return validate_mobile(raw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        info = getattr(self, "_id_info", None)
        if info is not None:
            if data.get("gender") and data["gender"] != info.gender:
                self.add_error("gender", _("性别与身份证号码不一致。"))
            if data.get("birth_date") and data["birth_date"] != info.birth_date:
                self.add_error("birth_date", _("出生日期与身份证号码不一致。"))
            data["gender"] = info.gender
            data["birth_date"] = info.birth_date
        if not data.get("gender"):
            self.add_error("gender", _("请选择性别，或填写身份证号码自动识别。"))
        party = data.get("party_organization")
        status = data.get("political_status")
        if party is not None and status not in ("member", "probationary"):
            self.add_error("party_organization", _("只有中共党员或预备党员才有党组织关系。"))
        return data

    def to_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", _("身份证号码")), ("mobile", _("手机号码"))])
    reason = forms.CharField(label=_("查看原因"), max_length=200, min_length=2,
                             error_messages={"required": _("请填写查看原因。"),
                                             "min_length": _("请填写查看原因。")})


#: Larger rosters go through `gongjian import-people` on the server.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class RosterUploadForm(forms.Form):
    """A roster file to check or import and, for the people import, the organisation to register
    it under (a federation in scope: the village federations below it are where people live)."""

    file = forms.FileField(label=_("名单文件（.xlsx 或 .csv）"), error_messages={"required": _("请选择文件。")})
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("登记到"), required=False)

    def __init__(self, *args: Any, user: Any = None, with_organization: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        if with_organization and user is not None and isinstance(organization, forms.ModelChoiceField):
            organization.queryset = (visible_organizations(user).filter(kind__in=Organization.FEDERATION_KINDS)
                                     .select_related("region").order_by("path"))
            organization.required = True
            organization.error_messages["invalid_choice"] = _("请选择您管辖范围内的组织。")
            acting = getattr(user, "acting", None)
            if acting is not None:
                self.initial.setdefault("organization", acting.organization.pk)
        else:
            del self.fields["organization"]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def read_upload(upload: Any) -> bytes:
    """The uploaded file's bytes, or a ValidationError when it is too large for a page."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件太大：不能超过 20 MB，请拆分后分批导入，或使用命令行导入。"))
    return bytes(upload.read())
