"""Playwright against the Debian chromium (never ``playwright install``: no downloads on this machine)."""

from __future__ import annotations

import pytest

SHOTS = "/tmp/doudi-shots"  # noqa: S108 - where the acceptance brief asks for the screenshots


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _close_contexts(browser):
    """One Chromium serves the whole test process (pytest-playwright's ``browser`` is session-scoped); the tests open
    their own contexts (a phone and a desk, several users), and closing them after each test keeps their pages from
    living — and their renderer processes from running — until the end of the run."""
    yield
    for context in browser.contexts:
        context.close()
