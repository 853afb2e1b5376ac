"""A policy profile on a screen: its Chinese title (呼伦贝尔市), never the file code or a version hash."""

from __future__ import annotations

from django import template

from doudi.policy.loader import ProfileError, load_profile

register = template.Library()


@register.filter
def profile_title(name: str) -> str:
    if not name:
        return ""
    try:
        return load_profile(name).title
    except (ProfileError, OSError):
        # A profile file removed since the evaluation was stored: its name is all we still know.
        return name
