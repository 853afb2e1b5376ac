"""What the browser tests share: signing in through the login form, as a user does."""

from __future__ import annotations

from playwright.sync_api import Page

PASSWORD = "test-pass-123"


def log_in(page: Page, base: str, username: str, *, password: str = PASSWORD) -> Page:
    """Fill the login form at ``base`` and submit it; returns the page (where the login sent the user)."""
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    return page
