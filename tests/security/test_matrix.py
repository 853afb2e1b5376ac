"""The security matrix (issue 9 item 8): role × jurisdiction × route, over every URL pattern of the URL conf and
every operation of the REST API, GET and POST, generated from the URL conf and the API, so a new route is covered as
soon as it exists. ``routes.ROUTES`` says who may reach what; a route missing there fails (default deny).

For each route and role:
- a GET by a role not listed is refused (401/403/404/405, or the login page for anonymous users); a listed role
  gets the page; no GET by anyone writes anything (state changes only by POST);
- a POST by a role not listed writes nothing (no change in the audit log, which records every change);
- a township caseworker reaching an object of another township is refused the page and writes nothing.
Objects are real rows of a small demo city built once for the module (``tests/demo/conftest.shared_data``).
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from doudi.accounts.models import User
from doudi.api import api
from doudi.audit.models import AuditAction, AuditEvent
from doudi.demo.regions import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A
from tests.demo.conftest import shared_data
from tests.security.routes import CROSS_AREA_BY_DESIGN, ROLES, ROUTES, Route

pytestmark = pytest.mark.django_db
WRITES = [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE, AuditAction.IMPORT, AuditAction.TRANSITION]
REFUSED = {401, 403, 404, 405}
# Django's own admin is for installation superusers only (checked in ``test_django_admin_is_for_superusers``), and
# the API's operations are listed from the API itself (names repeat across routers).
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or f"<unnamed {prefix}{p.pattern}>")
            yield name, prefix + str(p.pattern)


def url_routes() -> dict[str, str]:
    """Route name → path pattern, for every pattern of the URL conf except Django's admin and the API's operations."""
    found = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if pattern.startswith("admin/") or (name.startswith("api:") and name not in API_PAGES):
            continue
        found[name] = pattern
    return found


def api_routes() -> dict[str, str]:
    """``api:<METHOD> <path>`` → path, for every operation of the REST API."""
    found = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                for method in op.methods:
                    full = "/api/" + f"{prefix}{path}".strip("/").replace("//", "/")
                    full += "/" if path.endswith("/") and not full.endswith("/") else ""
                    found[f"api:{method} {full}"] = full
    return found


def all_routes() -> dict[str, str]:
    return {**url_routes(), **api_routes()}


def test_every_route_has_a_row_in_the_expectations_table():
    missing = sorted(set(all_routes()) - set(ROUTES))
    assert not missing, (
        "These routes are not in tests/security/routes.py (default deny): add a row saying which roles may GET and "
        "POST them and which model their URL arguments are: " + ", ".join(missing)
    )
    stale = sorted(set(ROUTES) - set(all_routes()))
    assert not stale, "Rows for routes that no longer exist in tests/security/routes.py: " + ", ".join(stale)


# --- the demo world --------------------------------------------------------------------------------------------


def _build() -> dict[str, str]:
    """The demo city, and one signed-in session per role (role → session key). Signing in costs ~20 ms (session key
    rotation, the login audit event, django-axes, last login), and the tests need ~4 000 clients: each gets a copy of
    its role's session cookie instead. A test that changes its session (or logs out) does so inside its own
    transaction, which is rolled back, so the next test finds the session as it was built."""
    import io

    call_command("demo", "--no-serve", "--households", "60", "--seed", "5", stdout=io.StringIO())
    User.objects.create_user(username="outsider", password="x-unused-Password-1")
    sessions = {}
    for role in ROLES:
        if role != "anon":
            client = Client()
            client.force_login(User.objects.get(username=role))
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from shared_data(django_db_blocker, _build)


def _user(role: str):
    return None if role == "anon" else User.objects.get(username=role)


def _client(world: dict[str, str], role: str) -> Client:
    """A client signed in as ``role`` (none for ``anon``), on the role's session built with the world."""
    client = Client()
    if role != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world[role]
    return client


def _object_in(label: str, area: str, other: str):
    """A row of ``label`` filed under township ``area`` (seen by that township's caseworker) and not under
    ``other``; None when the demo has none."""
    if label == "":
        return VILLAGE_A if area == TOWNSHIP_A else TOWNSHIP_B[:9] + "001"
    model_label, _, attr = label.partition(":")
    if model_label == "accounts.User":
        return User.objects.get(username="township" if area == TOWNSHIP_A else "township2").pk
    if model_label == "accounts.RegionGrant":
        return User.objects.get(username="township" if area == TOWNSHIP_A else "township2").grants.get().pk
    model = apps.get_model(model_label)
    mine = _user("township" if area == TOWNSHIP_A else "township2")
    theirs = _user("township2" if area == TOWNSHIP_A else "township")
    # Never the demo applicant's own rows (they may see those), so "applicant refused" means something.
    qs = model.objects.exclude(pk__in=model.objects.restrict(_user("applicant"), "view").values("pk"))
    row = None
    if area == TOWNSHIP_A:  # in the demo village first, so the village assistant's scope holds it too
        row = qs.restrict(_user("village"), "view").order_by("pk").first()
    row = row or (qs.restrict(mine, "view").exclude(pk__in=model.objects.restrict(theirs, "view").values("pk"))
                  .order_by("pk").first())
    if row is None and area == TOWNSHIP_A:  # county-level rows (payrolls, runs): in the county of township A
        row = qs.restrict(_user("county"), "view").order_by("pk").first()
    if row is None:
        return None
    return getattr(row, attr) if attr else row.pk


def _in_scope(role: str, objects: list[tuple[str, object]]) -> bool:
    """Are all the route's objects in the role's jurisdiction (``view``)? Regions and accounts: yes."""
    user = _user(role)
    for label, pk in objects:
        model_label = label.partition(":")[0]
        if not model_label or model_label.startswith("accounts."):
            continue
        model = apps.get_model(model_label)
        lookup = {label.partition(":")[2]: pk} if ":" in label else {"pk": pk}
        if user is None or not model.objects.restrict(user, "view").filter(**lookup).exists():
            return False
    return True


def _url(pattern: str, route: Route, area: str, other: str, picked: list | None = None) -> str | None:
    args = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", pattern):
        name = name[0] or name[1]
        if name in route.values:
            args[name] = route.values[name]
        elif name in route.objects:
            value = _object_in(route.objects[name], area, other)
            if value is None:
                return None
            args[name] = value
            if picked is not None:
                picked.append((route.objects[name], value))
        else:
            raise AssertionError(f"{pattern}: say in tests/security/routes.py what fills <{name}>")

    def fill(match):
        name = match.group(1) or match.group(2)
        return str(args[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", fill, pattern).lstrip("/")


def _writes() -> int:
    return AuditEvent.objects.filter(action__in=WRITES).count()


def _get(client: Client, url: str):
    return client.get(url)


def _post(client: Client, url: str, api_route: bool):
    if api_route:
        return client.post(url, {}, content_type="application/json")
    return client.post(url, {})


def _refused(role: str, response) -> bool:
    if response.status_code in REFUSED:
        return True
    return role == "anon" and response.status_code == 302 and "/login/" in response.get("Location", "")


def _methods(key: str, route: Route) -> tuple[bool, bool]:
    """(check GET, check POST) for a route: API operations are checked with their own method only."""
    if key.startswith("api:GET "):
        return True, False
    if key.startswith("api:POST "):
        return False, True
    return True, True


KEYS = sorted(ROUTES)


@pytest.mark.parametrize("key", KEYS)
def test_route(world, key):
    route = ROUTES[key]
    pattern = all_routes().get(key)
    if pattern is None:
        pytest.skip("no such route (see test_every_route_has_a_row_in_the_expectations_table)")
    picked: list = []
    url = _url(pattern, route, TOWNSHIP_A, TOWNSHIP_B, picked)
    if url is None:
        pytest.skip(f"the demo has no row for {key} in township A")
    check_get, check_post = _methods(key, route)
    problems = []
    for role in ROLES:
        client = _client(world, role)
        # Allowed = the role may use the route AND the object is in its jurisdiction; otherwise refused.
        may_get = role in route.get and _in_scope(role, picked)
        if check_get:
            before = _writes()
            response = _get(client, url)
            if _writes() != before:
                problems.append(f"GET {url} by {role} wrote to the audit log (state changes only by POST)")
            if response.status_code >= 500:
                problems.append(f"GET {url} by {role}: {response.status_code}")
            elif may_get and _refused(role, response):
                problems.append(f"GET {url} by {role}: refused ({response.status_code}) but listed as allowed")
            elif not may_get and not _refused(role, response):
                problems.append(f"GET {url} by {role}: {response.status_code}, expected a refusal")
        if check_post and role not in route.post:
            before = _writes()
            response = _post(client, url, key.startswith("api:"))
            if response.status_code >= 500:
                problems.append(f"POST {url} by {role}: {response.status_code}")
            if _writes() != before:
                problems.append(f"POST {url} by {role} wrote, but {role} may not write here")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", [k for k in KEYS if ROUTES[k].objects])
def test_cross_area_objects_are_refused(world, key):
    """A township caseworker reaching an object of another township: refused, writes nothing."""
    route = ROUTES[key]
    pattern = all_routes().get(key)
    if pattern is None or any(label.startswith("accounts.") for label in route.objects.values()):
        pytest.skip("accounts are checked by the administration tests")
    url = _url(pattern, route, TOWNSHIP_B, TOWNSHIP_A)
    if url is None:
        pytest.skip(f"the demo has no row for {key} in township B")
    if "public" in key:
        pytest.skip("the public notice is public")
    if key in CROSS_AREA_BY_DESIGN:
        pytest.skip(CROSS_AREA_BY_DESIGN[key])
    client = _client(world, "township")
    check_get, check_post = _methods(key, route)
    if check_get:
        response = _get(client, url)
        assert response.status_code in {403, 404, 405}, f"GET {url}: {response.status_code}"
    if check_post:
        before = _writes()
        response = _post(client, url, key.startswith("api:"))
        assert response.status_code < 500
        assert _writes() == before, f"POST {url} by another township's caseworker wrote"


def test_django_admin_is_for_superusers(world):
    for role in ROLES:
        response = _client(world, role).get("/admin/")
        if role == "admin":
            assert response.status_code == 200
        else:
            assert _refused(role, response) or (response.status_code == 302 and "login" in response["Location"]), role
