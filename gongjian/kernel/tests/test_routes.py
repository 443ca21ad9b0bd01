"""Z-03 and I-06 by walking every URL pattern: each view declares a permission or is public,
anonymous users are turned away from every staff route, and a state change needs POST + CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.constants import NOT_SET

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = settings.GONGJIAN_ADMIN_PATH


def walk(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def is_admin(route: str) -> bool:
    return route.startswith(ADMIN_PREFIX)


def is_api(route: str) -> bool:
    return route.startswith("api/v1/")


def sample_url(route: str) -> str:
    url = re.sub(r"<int:\w+>", "1", route)
    url = re.sub(r"<(?:str|slug):\w+>", "x", url)
    url = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", url)
    url = re.sub(r"<path:\w+>", "x", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + url


def django_routes():
    return [(r, p) for r, p in walk() if not is_admin(r) and not is_api(r) and "(?P" not in r]


def test_every_view_declares_a_permission_or_is_public():
    undeclared = [route for route, p in django_routes()
                  if not hasattr(p.callback, "required_permission") and not getattr(p.callback, "public", False)]
    assert undeclared == []


def test_every_api_operation_declares_a_permission_or_is_public():
    from gongjian.api import api

    undeclared = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                func = op.view_func
                if not hasattr(func, "required_permission") and not getattr(func, "public", False):
                    undeclared.append(f"{op.methods} {prefix}{path}")
                if not getattr(func, "public", False):
                    assert op.auth_callbacks or router.auth not in (None, NOT_SET), \
                        f"{prefix}{path} has no authentication"
    assert undeclared == []


def test_the_permissions_views_declare_all_exist():
    from gongjian.kernel.permissions import policy

    for route, p in django_routes():
        perm = getattr(p.callback, "required_permission", None)
        if perm:
            assert policy.rule_exists(perm), f"{route} declares unknown permission {perm}"


def test_anonymous_users_are_turned_away_from_every_staff_route():
    client = Client()
    for route, p in django_routes():
        if getattr(p.callback, "public", False):
            continue
        url = sample_url(route)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403, 404, 405), f"{method} {url} -> {response.status_code}"
            if response.status_code == 302:
                assert "/work/login/" in response["Location"]


def test_the_django_admin_is_not_at_admin_and_refuses_non_superusers(login):
    assert Client().get("/admin/").status_code == 404
    response = login("sysadmin").get("/" + ADMIN_PREFIX)
    assert response.status_code == 302 and "login" in response["Location"]


def test_post_without_csrf_token_is_refused_on_every_staff_route(login):
    from gongjian.kernel.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="taihua_fed"))
    for route, _pattern in django_routes():
        url = sample_url(route)
        response = client.post(url, {})
        assert response.status_code in (403, 404, 405), f"POST {url} without CSRF -> {response.status_code}"


def test_state_changing_routes_refuse_get(login):
    client = login("taihua_fed")
    for url in ("/work/logout/", "/work/switch/", "/work/people/1/reveal/"):
        assert client.get(url).status_code == 405


def test_an_id_too_large_for_the_database_is_a_404_on_every_route(login):
    """9223372036854775808 does not fit a 64-bit integer: the database driver refuses it, and
    every route must answer as for an id that does not exist (no 500)."""
    huge = "9223372036854775808"
    clients = {"anonymous": Client(), "taihua_fed": login("taihua_fed"), "xiaoliu_branch": login("xiaoliu_branch"),
               "secadmin": login("secadmin")}
    public_checked = 0
    for route, pattern in django_routes():
        if "<int:" not in route:
            continue
        url = "/" + re.sub(r"<(?:str|slug|path):\w+>", "x", re.sub(r"<int:\w+>", huge, route))
        for who, client in clients.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"action": "unlock", "revoke": huge})
                assert response.status_code in (302, 400, 403, 404, 405), \
                    f"{who} {method} {url} -> {response.status_code}"
        if getattr(pattern.callback, "public", False):
            # A public page has no sign-in to send anyone to: the answer is "no such record".
            assert Client().get(url).status_code in (404, 405), url
            public_checked += 1
    assert public_checked >= 5
    assert Client().get(f"/disclosure/org/{huge}/").status_code == 404  # the case issue 12 quotes


def test_an_id_too_large_for_the_database_is_a_404_on_every_api_operation(api_client):
    from gongjian.api import api

    huge = "9223372036854775808"
    clients = {"anonymous": Client(), "taihua_fed": api_client("taihua_fed")}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            if "{" not in path or not any("GET" in op.methods for op in path_view.operations):
                continue
            url = "/api/v1" + re.sub(r"{\w+}", huge, (prefix.rstrip("/") + "/" + path.lstrip("/")))
            for who, client in clients.items():
                response = client.get(url)
                assert response.status_code in (401, 403, 404, 422), f"{who} GET {url} -> {response.status_code}"
