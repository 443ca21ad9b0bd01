"""The OpenAPI document describes every choice field as an enum of its model's stored values.

Generic on purpose: any property or parameter named like a model field that has `choices`
must carry an `enum`, and that enum must be the choices of such a field — a new schema or a
new choice field is checked without touching this file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.test import Client


def model_choice_fields() -> dict[str, set[frozenset[str]]]:
    """Field name → the value sets of every project model field by that name with choices."""
    found: dict[str, set[frozenset[str]]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("gongjian."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if choices and not field.is_relation:
                found.setdefault(field.name, set()).add(frozenset(str(value) for value, _label in choices))
    return found


def branches(schema: dict[str, Any], defs: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The leaf schemas a value may match: $refs followed, unions and arrays opened, null left out."""
    if "$ref" in schema:
        yield from branches(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    elif "anyOf" in schema or "oneOf" in schema or "allOf" in schema:
        for part in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
            yield from branches(part, defs)
    elif schema.get("type") == "array":
        yield from branches(schema.get("items", {}), defs)
    elif schema.get("type") != "null":
        yield schema


def exposed_fields(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, field name, schema) for every schema property and every operation parameter."""
    for name, schema in doc["components"]["schemas"].items():
        for prop, prop_schema in schema.get("properties", {}).items():
            yield name, prop, prop_schema
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield f"{method.upper()} {path}", parameter["name"], parameter["schema"]
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for prop, prop_schema in content["schema"].get("properties", {}).items():
                    yield f"{method.upper()} {path} body", prop, prop_schema


# Fields named like a model's choice field that are not that field. A command of an operation keeps
# an enum of its own (checked here); a figures source's name is open (any app may offer one).
COMMANDS = {("AssessmentIn", "action")}  # create / self_assess / score / return; NewsEvent.action is a log
OPEN_NAMES = {("ColumnOut", "source")}  # the county report's column: a kernel.figures source name


def test_every_choice_field_in_the_openapi_document_is_an_enum_of_its_model_choices():
    doc = Client().get("/api/v1/openapi.json").json()
    defs = doc["components"]["schemas"]
    choice_fields = model_choice_fields()
    bare, drifted, checked = [], [], set()
    for where, name, schema in exposed_fields(doc):
        if (where, name) in COMMANDS:
            assert all("enum" in branch for branch in branches(schema, defs)), f"{where}.{name} is not an enum"
            continue
        if (where, name) in OPEN_NAMES:
            continue
        if name not in choice_fields:
            continue
        checked.add((where, name))
        for branch in branches(schema, defs):
            if "enum" not in branch:
                bare.append(f"{where}.{name}")
            elif frozenset(branch["enum"]) not in choice_fields[name]:
                drifted.append(f"{where}.{name}: {sorted(branch['enum'])}")
    assert not bare, f"choice fields without an enum: {bare}"
    assert not drifted, f"enums that are not the choices of a model field of that name: {drifted}"
    assert {("DisclosureIn", "category"), ("PersonOut", "gender"), ("ActivityOut", "attendance_mode"),
            ("GET /api/v1/disclosures", "state"), ("HonourOut", "state")} <= checked


def test_enum_descriptions_carry_the_chinese_labels():
    doc = Client().get("/api/v1/openapi.json").json()
    category = doc["components"]["schemas"]["DisclosureOut"]["properties"]["category"]
    assert "policy：上级路线方针政策" in category["description"]
