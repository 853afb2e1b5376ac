"""Pluggable department data sources (national-rules §6.2). See ``base`` for the interface."""

from doudi.verification.sources.base import Finding, SourceAdapter, all_sources, register, reset_sources

__all__ = ["Finding", "SourceAdapter", "all_sources", "register", "reset_sources"]
