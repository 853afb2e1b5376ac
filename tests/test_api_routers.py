"""The REST API mounts exactly the routers that exist: one per app with an ``api.py``, none missing, none imagined."""

from __future__ import annotations

from pathlib import Path

import doudi
from doudi.api import ROUTERS, api


def test_every_app_api_is_mounted_and_nothing_else():
    on_disk = {f"doudi.{p.parent.name}.api" for p in Path(doudi.__file__).parent.glob("*/api.py")}
    assert {module for _, module in ROUTERS} == on_disk
    mounted = {prefix for prefix, _router in api._routers}
    assert {prefix for prefix, _ in ROUTERS} <= mounted


def test_each_router_is_mounted_under_its_apps_name():
    for prefix, module in ROUTERS:
        assert prefix == f"/{module.split('.')[1]}/"
