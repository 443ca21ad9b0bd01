"""Model fields for personal data: encrypted at rest with a keyed blind index (P-01)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from . import crypto


@lru_cache(maxsize=4)
def _keyring(config: str) -> crypto.Keyring:
    if not config:
        raise ImproperlyConfigured("GONGJIAN_FIELD_KEYS is not set: personal data cannot be stored")
    return crypto.Keyring.from_config(config)


def keyring() -> crypto.Keyring:
    return _keyring(settings.GONGJIAN_FIELD_KEYS)


class EncryptedTextField(models.TextField):
    """Stores SM4 ciphertext; Python code sees plaintext. Not filterable: use a BlindIndexField."""

    def __init__(self, *args: Any, purpose: str = "", **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.decrypt(value, keyring=keyring(), purpose=self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(str(value), keyring=keyring(), purpose=self.purpose)


class BlindIndexField(models.CharField):
    """Keyed HMAC of another field's value, kept in step on every save, for exact-match search.

    No index of its own: declare one in the model's `Meta.indexes` (or a unique constraint).
    On PostgreSQL a CharField's own index comes with a second `varchar_pattern_ops` index for
    LIKE, which a digest never needs and every insert would keep up to date."""

    def __init__(self, *args: Any, source: str = "", purpose: str = "", **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        digest = blind_index(value, self.purpose) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


class RegistryField(models.CharField):
    """The registry (county) a record belongs to, kept in step with its organisation on every
    save: the first six digits of the organisation's division code (ADR 0026). A derived
    column like a blind index, so a unique constraint can hold per county."""

    def __init__(self, *args: Any, source: str = "organization", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        source: Any = model_instance._meta.get_field(self.source)
        if source.is_cached(model_instance):
            organization = getattr(model_instance, self.source)
            code = organization.region.code if organization is not None else ""
        else:  # only the id is set (bulk loads): one look-up
            pk = getattr(model_instance, source.attname)
            code = (source.related_model._default_manager.filter(pk=pk)
                    .values_list("region__code", flat=True).first() or "") if pk is not None else ""
        value = code[:6]
        setattr(model_instance, self.attname, value)
        return value


def blind_index(value: str, purpose: str) -> str:
    return crypto.blind_index(value, keyring=keyring(), purpose=purpose)
