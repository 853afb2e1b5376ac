"""doudi (兜底): an integrated social assistance platform for civil-affairs departments."""

__version__ = "0.1.0"
