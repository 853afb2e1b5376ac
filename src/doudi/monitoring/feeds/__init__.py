"""Department feeds for monitoring: declared schemas (``schemas``) and the all-or-nothing loader (``loader``)."""
