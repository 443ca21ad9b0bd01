"""What every app's api.py builds its schemas from: choice fields typed by the model's own
TextChoices, and one shape for errors.

A choice field is declared `Choice[Category]` (or `OptionalChoice[...]` where blank means
none): it accepts and returns the stored strings of that TextChoices, appears in the OpenAPI
document as a string `enum` (with the labels in its description), and a wrong value reads
as a Chinese sentence that lists the allowed values. The values are read from the TextChoices
when the schema is built, so the API and the model cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm
from django.utils.translation import gettext as _
from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

C = TypeVar("C", bound=models.TextChoices)

_CHOICES_KEY = "gongjian_choices"


class _ChoiceSchema:
    """Pydantic hook for `Choice[...]`: validate, serialise and describe one TextChoices."""

    def __get_pydantic_core_schema__(self, source: type[models.TextChoices],
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        values = [str(v) for v in source.values]

        def validate(value: object) -> models.TextChoices:
            if isinstance(value, source):
                return value
            if isinstance(value, str) and value in values:
                return source(value)
            raise PydanticCustomError("choice", _("须为以下之一：{expected}。"), {"expected": "、".join(values)})

        allowed = core_schema.literal_schema(values)
        return core_schema.no_info_plain_validator_function(
            validate,
            json_schema_input_schema=allowed,
            serialization=core_schema.plain_serializer_function_ser_schema(str, return_schema=allowed),
            metadata={_CHOICES_KEY: source},
        )

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        choices: type[models.TextChoices] = schema.get("metadata", {})[_CHOICES_KEY]
        json_schema["description"] = "；".join(f"{value}：{label}" for value, label in choices.choices)
        return json_schema


def _blank_as_none(value: object) -> object:
    return None if value == "" else value


#: A field holding one stored value of the TextChoices `C`.
Choice = Annotated[C, _ChoiceSchema()]

#: The same, or none: null, an absent field and "" (an empty query parameter) all read as None.
OptionalChoice = Annotated[Choice[C] | None, BeforeValidator(_blank_as_none)]


def form_invalid(form: BaseForm) -> ValidationError:
    """The errors of an invalid form as one ValidationError, keeping each message's code."""
    return ValidationError(dict(form.errors.as_data()))


def error_lists(exc: ValidationError) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Messages and codes of a ValidationError, field by field (`__all__` for the whole)."""
    fields: Mapping[str, Iterable[ValidationError]] = (
        exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list})
    messages: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for field, errors in fields.items():
        for error in errors:
            for item in error.error_list if hasattr(error, "error_list") else [error]:
                message = item.message % item.params if item.params else item.message
                messages.setdefault(field, []).append(str(message))
                codes.setdefault(field, []).append(item.code or "invalid")
    return messages, codes


def schema_error_lists(errors: Iterable[Mapping[str, Any]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Messages and codes of ninja's (pydantic's) errors, in Chinese, keyed by the dotted field
    name (`channels.0`) without the part of the request it came from."""
    messages: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for error in errors:
        where, *loc = [str(p) for p in error.get("loc", ())] or [""]
        if where == "body":
            loc = loc[1:]  # the name of the operation's body argument (`payload`), not a field
        field = ".".join(loc) or "__all__"
        code = str(error.get("type", "invalid"))
        messages.setdefault(field, []).append(_chinese(code, error))
        codes.setdefault(field, []).append(code)
    return messages, codes


def _chinese(code: str, error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", ""))
    if any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return message
    ctx = error.get("ctx") or {}
    if code == "missing":
        return _("必须填写。")
    if code in {"int_parsing", "int_type", "int_from_float"}:
        return _("须为整数。")
    if code in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        return _("须为数字。")
    if code in {"bool_parsing", "bool_type"}:
        return _("须为 true 或 false。")
    if code.startswith("date") or code.startswith("datetime"):
        return _("日期格式应为 YYYY-MM-DD。")
    if code in {"string_type"}:
        return _("须为文字。")
    if code in {"list_type", "tuple_type"}:
        return _("须为列表。")
    if code in {"model_type", "model_attributes_type", "dict_type"}:
        return _("须为 JSON 对象。")
    if code in {"string_too_long", "too_long"}:
        return _("太长（最多 %(n)s）。") % {"n": ctx.get("max_length", "")}
    if code in {"string_too_short", "too_short"}:
        return _("太短（至少 %(n)s）。") % {"n": ctx.get("min_length", "")}
    if code in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("超出允许的范围。")
    if code == "json_invalid":
        return _("请求内容无法解析，请检查格式（应为 JSON）。")
    return _("格式不正确。")
