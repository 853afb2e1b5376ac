"""Pluggable department data sources (national-rules §6.2). ``base`` is the interface, ``exchange`` the demo's
department data exchange, ``registry`` the adapters installed per category."""

from doudi.verification.sources.base import Finding, SourceAdapter
from doudi.verification.sources.registry import all_sources, register, reset_sources

__all__ = ["Finding", "SourceAdapter", "all_sources", "register", "reset_sources"]
