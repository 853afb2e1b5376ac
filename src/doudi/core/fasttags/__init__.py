"""Faster forms of Django template tags (see ``doudi.core.speed``)."""
