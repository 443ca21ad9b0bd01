"""Forms of 信息报送: they show and collect; the services decide (and re-check every choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization

from ..models.news import NewsSubmission
from ..services.news import (
    BODY_MAX,
    BYLINE_MAX,
    CAPTION_MAX,
    MAX_PHOTOS,
    REASON_MAX,
    TITLE_MAX,
    PhotoIn,
)

#: Photo slots on the form (the page shows one and a button for the next).
PHOTO_SLOTS = 6


class NewsForm(forms.Form):
    """Write (or revise) a piece: title, body, photos with captions, byline, the receiver."""

    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX,
                            error_messages={"required": _("请填写标题。"),
                                            "max_length": _("标题太长，最多100个字。")})
    body = forms.CharField(label=_("正文"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("直接输入文字，一段一行；不用排版"),
                           error_messages={"required": _("请填写正文。"), "max_length": _("正文太长。")})
    byline = forms.CharField(label=_("供稿"), max_length=BYLINE_MAX,
                             help_text=_("署名单位和供稿人，如：太华办姚高华供稿"),
                             error_messages={"required": _("请填写供稿人，如：太华办姚高华供稿。"),
                                             "max_length": _("供稿一栏太长。")})
    receiver = forms.ChoiceField(label=_("报送给"), required=False)

    def __init__(self, *args: Any, receivers: list[Organization], piece: NewsSubmission | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["receiver"].choices = [(str(org.pk), org.name) for org in receivers]
        fields["receiver"].error_messages["invalid_choice"] = _("只能报送给本组织的上级妇联或党委。")
        fields["title"].widget.attrs.update({"placeholder": _("如：太华路街道妇联党群共建做好“妇女之家”创建"),
                                             "autocomplete": "off"})
        fields["byline"].widget.attrs["autocomplete"] = "off"
        free = MAX_PHOTOS - (piece.photos.count() if piece is not None else 0)
        self.slots = list(range(1, min(PHOTO_SLOTS, max(free, 0)) + 1))
        for n in self.slots:
            fields[f"photo_{n}"] = forms.FileField(label=_("照片"), required=False)
            fields[f"photo_{n}"].widget.attrs.update({"accept": "image/jpeg,image/png", "class": "form-control"})
            fields[f"caption_{n}"] = forms.CharField(label=_("照片说明（可不填）"), max_length=CAPTION_MAX,
                                                     required=False, error_messages={
                                                         "max_length": _("照片说明太长，最多100个字。")})
        self.kept = list(piece.photos.select_related("file")) if piece is not None else []
        for photo in self.kept:
            fields[f"kept_caption_{photo.pk}"] = forms.CharField(
                label=_("照片说明"), max_length=CAPTION_MAX, required=False, initial=photo.caption,
                error_messages={"max_length": _("照片说明太长，最多100个字。")})
            fields[f"remove_{photo.pk}"] = forms.BooleanField(label=_("删除这张照片"), required=False)
        style_fields(self)

    def kept_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(photo, self[f"kept_caption_{photo.pk}"], self[f"remove_{photo.pk}"]) for photo in self.kept]

    def kept_captions(self) -> dict[int, str]:
        return {photo.pk: self.cleaned_data.get(f"kept_caption_{photo.pk}") or "" for photo in self.kept}

    def removed(self) -> list[int]:
        return [photo.pk for photo in self.kept if self.cleaned_data.get(f"remove_{photo.pk}")]

    def photo_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"photo_{n}"], self[f"caption_{n}"]) for n in self.slots]

    def photos(self) -> list[PhotoIn]:
        out = []
        for n in self.slots:
            upload = self.cleaned_data.get(f"photo_{n}")
            if isinstance(upload, UploadedFile):
                out.append(PhotoIn(upload=upload, caption=self.cleaned_data.get(f"caption_{n}") or ""))
        return out


class AdoptForm(forms.Form):
    """The editor's text: the submitted one, changed where she wants."""

    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX,
                            error_messages={"required": _("请填写标题。"), "max_length": _("标题太长，最多100个字。")})
    body = forms.CharField(label=_("正文"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 14}),
                           error_messages={"required": _("请填写正文。"), "max_length": _("正文太长。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("报送单位会看到这段话，请写明需要怎样修改"),
                             error_messages={"required": _("请写明退回原因，方便报送单位修改。"),
                                             "max_length": _("退回原因太长，最多500个字。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
