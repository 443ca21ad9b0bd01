"""Z-01: the role x route matrix, generated from the URLconf and the API's operations (never a
hand-kept list). Every route that names a record — in its path or in a query parameter — is
asked, by every demo persona, for a record of another village, another township and another
county: the answer is 404 (or 403 where the persona may not use the route at all, which tells
nothing about the record). A child record of another place under the persona's own parent is a
404 too (IDOR). Each single-record page is also asked for the persona's own record, which must
not be a 404: so a wrong declaration cannot pass by asking for a record that does not exist.

A route whose parameter is not declared (`objects=` on `staff_view` / `requires`) fails here, and
so does a declared record type with no maker in an app's `tests/matrix.py`."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from gongjian.kernel import access
from gongjian.kernel.models import Region, User
from gongjian.kernel.permissions import can
from gongjian.kernel.tests.matrix import Place, persona

pytestmark = pytest.mark.django_db

PERSONAS = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
            "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin", "lingsha_line"]
# Candidates for "another village / township / county", nearest first.
VILLAGES = ["郭家村", "小留村", "罗敷村", "灵沙村"]
TOWNSHIPS = ["罗敷镇", "太华路街道", "灵沙乡"]
COUNTIES = ["平罗县", "华阴市"]
# Integer query parameters that name no record.
PLAIN_QUERY = {"page", "per_page", "year", "limit"}
NOWHERE = "987654321"  # an id no record has


@dataclass(frozen=True)
class Route:
    label: str
    url: str  # with {name} placeholders
    permission: str
    objects: dict[str, Any]
    params: tuple[str, ...]  # path parameters
    api: bool

    def build(self, values: dict[str, str]) -> tuple[str, dict[str, str]]:
        path = self.url
        query = {}
        for name, value in values.items():
            if name in self.params:
                path = path.replace("{" + name + "}", value)
            else:
                query[name] = value
        return path, query


def _walk(patterns: Any = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def page_routes() -> list[Route]:
    out = []
    for route, pattern in _walk():
        callback = pattern.callback
        if route.startswith(("api/", settings.GONGJIAN_ADMIN_PATH)) or getattr(callback, "public", False):
            continue
        if not hasattr(callback, "required_permission"):
            continue  # test_routes fails on those
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        out.append(Route(route, url, callback.required_permission, callback.objects, params, api=False))
    return out


def api_routes() -> list[Route]:
    from gongjian.api import api

    out = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                func = op.view_func
                if getattr(func, "public", False) or not hasattr(func, "required_permission"):
                    continue
                full = "/api/v1" + (prefix.rstrip("/") + "/" + path.lstrip("/")).replace("//", "/")
                params = tuple(re.findall(r"{(\w+)}", full))
                signature = inspect.signature(func)
                query = tuple(name for name, p in signature.parameters.items()
                              if name not in params and name not in PLAIN_QUERY
                              and "int" in str(p.annotation) and name != "request")
                label = f"{'/'.join(op.methods)} {full}"
                out.append(Route(label, full, func.required_permission,
                                 {**{q: "undeclared" for q in query if q not in func.objects}, **func.objects},
                                 params, api=True))
                out[-1].objects["__method__"] = op.methods[0]
    return out


def makers() -> dict[type, Callable[[Place], Any]]:
    found: dict[type, Callable[[Place], Any]] = {}
    for app in apps.get_app_configs():
        if app.name.startswith("gongjian."):
            try:
                found.update(import_string(f"{app.name}.tests.matrix.RECORDS"))
            except ImportError:
                continue
    return found


def test_every_route_declares_the_record_behind_each_parameter() -> None:
    undeclared = []
    for route in page_routes() + api_routes():
        for name in route.params:
            if name not in route.objects:
                undeclared.append(f"{route.label}: {name}")
        undeclared += [f"{route.label}: ?{name}" for name, model in route.objects.items()
                       if model == "undeclared"]
    assert undeclared == []


def test_every_declared_record_type_has_a_reach_and_a_maker() -> None:
    known = makers()
    missing = set()
    for route in page_routes() + api_routes():
        for model in route.objects.values():
            if isinstance(model, type):
                access.reach_of(model)  # raises when a record type declares no reach
                if model not in known:
                    missing.add(model.__name__)
    assert missing == set()


def test_the_matrix_walks_every_demo_account() -> None:
    assert set(User.objects.values_list("username", flat=True)) <= set(PERSONAS)


def test_console_records_are_reached_only_by_admin_roles() -> None:
    from gongjian.kernel.permissions import NOT_GRANTABLE

    for route in page_routes() + api_routes():
        if access.SYSTEM_WIDE in route.objects.values():
            assert route.permission in NOT_GRANTABLE, route.label


# ------------------------------------------------------------------------------ the matrix


def _region_chain(region: Region) -> set[int]:
    ids = set()
    current: Region | None = region
    while current is not None:
        ids.add(current.pk)
        current = current.parent
    return ids


def foreign_places(user: User) -> list[Place]:
    """Another village, township and county: the nearest ones outside the persona's region
    (decided by the map of regions, not by the reach being tested)."""
    acting = getattr(user, "acting", None)
    home = acting.organization.region if acting is not None else None
    chosen = []
    for names in (VILLAGES, TOWNSHIPS, COUNTIES):
        for name in names:
            place = Place(name)
            if home is None or home.pk not in _region_chain(place.region):
                chosen.append(place)
                break
    return chosen


def own_place(user: User) -> Place | None:
    acting = getattr(user, "acting", None)
    return Place(acting.organization.region.name) if acting is not None else None


def _value(record: Any, name: str) -> str:
    return str(record.file.token) if name == "token" else str(record.pk)


def _call(client: Client, route: Route, values: dict[str, str]) -> int:
    path, query = route.build(values)
    method = route.objects.get("__method__", "GET") if route.api else "GET"
    if method == "GET":
        response = client.get(path, query)
        if response.status_code == 405:
            response = client.post(path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
    else:
        response = client.generic(method, path, "{}", content_type="application/json")
    return response.status_code


def _clients(username: str, api_client: Any) -> dict[bool, Client | None]:
    page = Client()
    page.force_login(User.objects.get(username=username))
    try:
        api = api_client(username)
    except AssertionError:
        api = None  # the admin roles get no API token: no API at all
    return {False: page, True: api}


@pytest.mark.parametrize("username", PERSONAS)
def test_another_places_record_is_a_404_on_every_route(username: str, api_client: Any) -> None:
    user = persona(username)
    make = makers()
    clients = _clients(username, api_client)
    records: dict[tuple[type, str], Any] = {}

    def record(model: type, place: Place) -> Any:
        key = (model, place.name)
        if key not in records:
            records[key] = make[model](place)
        return records[key]

    leaks = []
    home = own_place(user)
    for route in page_routes() + api_routes():
        client = clients[route.api]
        named = {n: m for n, m in route.objects.items() if isinstance(m, type)}
        if client is None or not named:
            continue
        allowed = can(user, route.permission)
        fixed = {n: ("import" if n == "action" else "people" if n in ("kind", "table") else "x")
                 for n, m in route.objects.items() if m is None}
        cases = []
        for place in foreign_places(user):
            # Every record of the other place...
            cases.append((place, {n: _value(record(m, place), n) for n, m in named.items()}))
            # ...and, under the persona's own parent, a child record of the other place.
            path_named = [n for n in route.params if n in named]
            if home is not None and len(path_named) > 1:
                parent = path_named[0]
                values = {n: _value(record(m, place), n) for n, m in named.items()}
                values[parent] = _value(record(named[parent], home), parent)
                cases.append((place, values))
        nowhere: int | None = None
        for place, values in cases:
            status = _call(client, route, {**fixed, **values})
            if status == 404 or (status == 403 and not allowed):
                continue
            if nowhere is None:
                # A body the API refuses before looking at any record is no leak if a record
                # that does not exist at all gets the very same answer.
                nowhere = _call(client, route, {**fixed, **dict.fromkeys(named, NOWHERE)})
            if not (400 <= status < 500 and status == nowhere):
                leaks.append(f"{route.label} {values} of {place} -> {status}")
    assert leaks == []


@pytest.mark.parametrize("username", ["taihua_fed", "xiaoliu_women", "taihua_party", "xiaoliu_branch"])
def test_the_personas_own_record_is_found_on_every_single_record_page(username: str, api_client: Any) -> None:
    """The control: the same routes answer for a record in reach, so the 404s above are real."""
    user = persona(username)
    make = makers()
    clients = _clients(username, api_client)
    home = own_place(user)
    assert home is not None
    missing = []
    for route in page_routes() + api_routes():
        client = clients[route.api]
        named = {n: m for n, m in route.objects.items() if isinstance(m, type)}
        if client is None or len(named) != 1 or len(route.objects) != len(named) + route.api:
            continue
        method = route.objects.get("__method__", "GET") if route.api else "GET"
        (name, model), = named.items()
        if method != "GET" or name not in route.params:
            continue
        own = make[model](home)
        if not can(user, route.permission, own):
            continue
        path, query = route.build({name: _value(own, name)})
        status = client.get(path, query).status_code
        if status == 404:
            missing.append(f"{route.label} -> {status}")
    assert missing == []
