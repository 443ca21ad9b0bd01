from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, overload

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import Gender, Organization, Person, PoliticalStatus, User
from .people import jurisdiction_of
from .selectors import visible_organizations

T = TypeVar("T")


class HasAbsoluteUrl(Protocol):
    """What `redirect` can go to: a model instance with a page of its own."""

    def get_absolute_url(self) -> str: ...


Made = TypeVar("Made", bound=HasAbsoluteUrl)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on top when no field fits)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def run_posted(request: HttpRequest, form: forms.BaseForm, action: Callable[[dict[str, Any]], object],
               done: str | Callable[[dict[str, Any]], str]) -> None:
    """For the small forms posted from a detail page (return with a reason, answer, decide): run
    `action(cleaned_data)` when the form is valid and say in a message what happened — the form's
    or the service's reasons if not (`done`, or `done(cleaned_data)` when what happened depends on
    the choice made). The view then redirects back to the record."""
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done(form.cleaned_data) if callable(done) else done)


@overload
def run_service(request: HttpRequest, form: forms.BaseForm, action: Callable[[], Made],
                done: str | Callable[[Made], str], then: None = None) -> HttpResponse | None: ...


@overload
def run_service(request: HttpRequest, form: forms.BaseForm, action: Callable[[], T],
                done: str | Callable[[T], str], then: Callable[[T], HttpResponse]) -> HttpResponse | None: ...


def run_service(request: HttpRequest, form: forms.BaseForm, action: Callable[[], Any],
                done: str | Callable[[Any], str],
                then: Callable[[Any], HttpResponse] | None = None) -> HttpResponse | None:
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
    return then(result) if then is not None else redirect(result)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one field (`<input type=file multiple>`): a list of uploads, each checked
    for size here — the browser checks the same limit before sending (`static/gongjian/photos.js`)
    — and by content when stored (`kernel.attachments.prepare_all`)."""

    def __init__(self, *args: Any, max_files: int = 10, max_bytes: int | None = None, **kwargs: Any) -> None:
        self.max_files = max_files
        self._max_bytes = max_bytes
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    @property
    def max_bytes(self) -> int:
        from . import attachments

        return self._max_bytes or attachments.MAX_PHOTO_BYTES

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if not data:
            single(None, initial)  # "required" speaks here
            return []
        files = [single(one, initial) for one in (data if isinstance(data, list | tuple) else [data])]
        if len(files) > self.max_files:
            raise ValidationError(_("一次最多上传 %(n)d 张照片。") % {"n": self.max_files}, code="too_many")
        mb = self.max_bytes // (1024 * 1024)
        too_large = [f.name for f in files if (f.size or 0) > self.max_bytes]
        if too_large:
            raise ValidationError(_("照片太大（每张不能超过 %(mb)d MB）：%(names)s") % {
                "mb": mb, "names": "、".join(too_large)}, code="too_large")
        return files


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

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            from .loginguard import refusal_message

            throttled = refusal_message(self.request)
            if throttled:
                raise ValidationError(throttled, code="throttled") from None
            raise


class PersonForm(forms.Form):
    """Person create/edit. The form only shows and collects; the rule book (kernel.people, run by
    the service) decides. A field whose stored value lies outside the user's jurisdiction (another
    line's party organisation, a place above her villages) is not shown but listed in `kept`,
    and what a form does not show is never cleared."""

    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名。")})
    id_number = forms.CharField(label=_("身份证号码"), max_length=30, required=False,
                                help_text=_("18位，末位可为X；出生日期和性别将自动识别"))
    gender = forms.ChoiceField(label=_("性别"), required=False,
                               choices=[("", _("由身份证号码识别")), *Gender.choices])
    birth_date = forms.CharField(label=_("出生日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False, initial="汉族")
    political_status = forms.ChoiceField(label=_("政治面貌"), choices=PoliticalStatus.choices,
                                         initial=PoliticalStatus.MASSES)
    organization = forms.ChoiceField(label=_("登记组织"), error_messages={
        "required": _("请选择您管辖范围内的组织。"), "invalid_choice": _("请选择您管辖范围内的组织。")})
    home_region = forms.ChoiceField(label=_("所在村/社区"), required=False, error_messages={
        "invalid_choice": _("请选择您管辖范围内的村或社区。")})
    party_organization = forms.ChoiceField(label=_("党组织关系所在"), required=False, error_messages={
        "invalid_choice": _("请选择您管辖范围内的党组织。")})

    def __init__(self, data: Any = None, *, user: User, instance: Person | None = None) -> None:
        self.instance = instance
        self.jurisdiction = jurisdiction = jurisdiction_of(user)
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {"name": instance.name, "gender": instance.gender, "ethnicity": instance.ethnicity,
                       "birth_date": instance.birth_date.isoformat() if instance.birth_date else "",
                       "political_status": instance.political_status,
                       "organization": instance.organization_id,
                       "home_region": instance.home_region_id or "",
                       "party_organization": instance.party_organization_id or ""}
        super().__init__(data, initial=initial)
        party = [o for o in jurisdiction.organizations.values() if o.kind in Organization.PARTY_KINDS]
        blank = ("", "---------")
        choices: dict[str, list[tuple[Any, str]]] = {
            "organization": [blank, *((o.pk, o.name) for o in jurisdiction.organizations.values())],
            "home_region": [blank, *((r.pk, r.name) for r in jurisdiction.home_regions.values())],
            "party_organization": [blank, *((o.pk, o.name) for o in party)],
        }
        fields: dict[str, Any] = self.fields
        for name, options in choices.items():
            fields[name].choices = options
        #: (label, value) of what is stored but not the user's to change: shown, kept as it is.
        self.kept: list[tuple[str, str]] = []
        for name in choices:
            current = getattr(instance, name) if instance is not None else None
            offered = {str(pk) for pk, _label in choices[name] if pk != ""}
            if current is not None and str(current.pk) not in offered:
                self.kept.append((str(fields[name].label), str(current)))
                del fields[name]
            elif name == "party_organization" and not party and current is None:
                del fields[name]  # nothing she could choose: nothing to show
        if instance is not None:
            # The stored number is never put back into the page; leaving it blank keeps it.
            fields["id_number"].help_text = _("已登记：%(masked)s。留空表示不修改。") % {
                "masked": instance.id_number_masked or "—"}
            fields["mobile"].help_text = _("已登记：%(masked)s。留空表示不修改。") % {
                "masked": instance.mobile_masked or "—"}
        for field in fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def to_data(self) -> dict[str, Any]:
        """The values the form shows, for the service; a blank number on an edit means "keep"."""
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        if self.instance is not None:
            for name in ("id_number", "mobile"):
                if not data.get(name):
                    data.pop(name, None)
        return data


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

    def __init__(self, *args: Any, user: User | None = None, with_organization: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        if with_organization and user is not None and isinstance(organization, forms.ModelChoiceField):
            organization.queryset = (visible_organizations(user).filter(kind__in=Organization.FEDERATION_KINDS,
                                                                          is_active=True)
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


@dataclass(frozen=True)
class PostedRoster:
    data: bytes
    filename: str
    dry_run: bool  # "检查" checks only; "导入" writes all rows or none


def posted_roster(request: HttpRequest, form: RosterUploadForm) -> PostedRoster | None:
    """The roster an import page was sent, once its form is valid and the file readable; the
    file's problem lands on the form otherwise."""
    if request.method != "POST" or not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    try:
        data = read_upload(upload)
    except ValidationError as exc:
        form.add_error("file", exc)
        return None
    return PostedRoster(data=data, filename=upload.name, dry_run=request.POST.get("mode") != "run")


# --- the organisation tree maintained in the app (issue 9) ---------------------------------------

#: Fields a phone's number pad should open for (an ID number is left alone: it may end in X).
NUMERIC_FIELDS = ("mobile", "phone")
EMPTY_LABEL = "---------"


def style_fields(form: forms.BaseForm) -> None:
    """One helper for every app's forms (issue 13: the words and keys a village cadre meets):
    - Bootstrap classes: selects `form-select`, single checkboxes `form-check-input`, text-like
      inputs `form-control`; radio groups, checkbox groups and hidden inputs are left to templates;
    - a select's empty choice reads 请选择, not "---------";
    - a required choice of records with exactly one option (her only organisation) is preselected
      on an unbound form;
    - mobile and phone fields open the number pad (`inputmode="numeric"`)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
            _say_please_choose(field)
            if not form.is_bound:
                _preselect_the_only_record(form, name, field)
        else:
            widget.attrs.setdefault("class", "form-control")
            if any(part in name for part in NUMERIC_FIELDS):
                widget.attrs.setdefault("inputmode", "numeric")


def _say_please_choose(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == EMPTY_LABEL:
            field.empty_label = _("请选择")
    elif isinstance(field, forms.ChoiceField):
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]  # a plain list by now
        if choices and choices[0][0] in ("", None) and str(choices[0][1]) == EMPTY_LABEL:
            field.choices = [("", _("请选择")), *choices[1:]]


def _preselect_the_only_record(form: forms.BaseForm, name: str, field: forms.Field) -> None:
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
        return
    if not field.required or form.initial.get(name) is not None or field.initial is not None:
        return
    only = list(field.queryset[:2]) if field.queryset is not None else []
    if len(only) == 1:
        form.initial[name] = only[0].pk




class PushChannelForm(forms.Form):
    """Where her 待办 go (issue 13): the service checks the address; nothing is echoed back."""

    kind = forms.ChoiceField(label=_("推送方式"), widget=forms.RadioSelect)
    cadence = forms.ChoiceField(label=_("推送频率"), widget=forms.RadioSelect)
    address = forms.CharField(label=_("机器人 Webhook 地址或手机号码"), max_length=500,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                              help_text=_("钉钉/企业微信：在群设置 → 机器人 → 添加自定义机器人后复制 Webhook 地址；"
                                          "短信：填写接收短信的手机号码。"))
    secret = forms.CharField(label=_("加签密钥（仅钉钉，选填）"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                             help_text=_("钉钉机器人的安全设置选了“加签”时，粘贴以 SEC 开头的密钥。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import PushChannel

        super().__init__(*args, **kwargs)
        for name, choices in (("kind", PushChannel.Kind.choices), ("cadence", PushChannel.Cadence.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["cadence"].initial = PushChannel.Cadence.IMMEDIATE
        style_fields(self)
        for name in ("kind", "cadence"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class UnitForm(forms.Form):
    """A new unit under `parent` (None: a root, in the system admin's console). The place fields
    matter only for a new federation or party organisation of a new township, village or community."""

    kind = forms.ChoiceField(label=_("组织类型"), error_messages={
        "required": _("请选择组织类型。"), "invalid_choice": _("此处不能设立该类型的组织。")})
    name = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("请填写名称。")},
                           help_text=_("如：创先争优活动领导小组、领导小组办公室、某某公司妇委会"))
    region_name = forms.CharField(label=_("所在地名称"), max_length=100, required=False,
                                  help_text=_("仅新设村（社区）、乡镇（街道）的妇联或党组织时填写，如：新华村、幸福社区"))
    region_code = forms.CharField(label=_("所在地区划代码"), max_length=12, required=False,
                                  help_text=_("12位统计用区划代码；该地已登记时只填代码即可"))

    def __init__(self, data: Any = None, *, parent: Organization | None) -> None:
        from .organizations import PLACED, kinds_under

        super().__init__(data)
        kinds = kinds_under(parent)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", "---------"), *((k, Organization.Kind(k).label) for k in kinds)]
        if not PLACED.intersection(kinds):
            del fields["region_name"], fields["region_code"]
        else:
            fields["region_code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        style_fields(self)

    def place(self) -> Any:
        from .organizations import NewPlace

        code = self.cleaned_data.get("region_code") or ""
        return NewPlace(code=code, name=self.cleaned_data.get("region_name") or "") if code else None


class RenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=100, error_messages={"required": _("请填写名称。")})

    def __init__(self, data: Any = None, *, organization: Organization) -> None:
        super().__init__(data, initial={"name": organization.name})
        style_fields(self)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("撤销日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("留空为今天。撤销后不再可选，已有记录仍可查看。"),
                                error_messages={"invalid": _("请填写正确的日期。")})

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)


class PositionForm(forms.Form):
    """An appointment in a unit: a person found by name among the people in the actor's reach
    (`candidates`), a title (组长, 副组长, 成员, 办公室主任 …) and, if not the usual one, a role."""

    person = forms.TypedChoiceField(label=_("人员"), coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input mt-0"}), error_messages={
        "required": _("请选择人员。"), "invalid_choice": _("请选择您管辖范围内的人员。")})
    title = forms.CharField(label=_("职务"), max_length=50, error_messages={"required": _("请填写职务。")},
                            help_text=_("如：组长、副组长、成员、办公室主任"))
    role = forms.ChoiceField(label=_("角色"), required=False,
                             help_text=_("主要负责人可在本组织办理业务、设立下级组织；成员只列入名单"))
    note = forms.CharField(label=_("兼任/说明"), max_length=100, required=False,
                           help_text=_("如：街道党委书记、妇联副主席"))

    def __init__(self, data: Any = None, *, candidates: list[Person], chosen: Person | None = None) -> None:
        from .models import Position

        super().__init__(data)
        people = list(candidates)
        if chosen is not None and chosen.pk not in {p.pk for p in people}:
            people.insert(0, chosen)
        fields: dict[str, Any] = self.fields
        fields["person"].choices = [(p.pk, f"{p.name}（{p.organization.name}）") for p in people]
        fields["role"].choices = [("", _("按职务自动判断")), *Position.Role.choices]
        fields["title"].widget.attrs.update({"list": "position-titles", "autocomplete": "off"})
        style_fields(self)
