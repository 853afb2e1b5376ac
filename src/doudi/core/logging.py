"""Logging filter that masks anything shaped like a resident ID number: ID numbers never reach a log.

Installed on every handler in ``settings.LOGGING`` (and Django's own loggers are routed to those handlers), it
masks the message with its arguments, the exception text (the traceback with the exception's message, formatted
here once so every handler prints the masked copy) and the stack text. In a log even an ID with a wrong check digit
is masked: any 18-character run of digits (the last one may be X) loses its middle eleven.
"""

from __future__ import annotations

import logging

from doudi.core.ids import mask_id_shapes

_FORMATTER = logging.Formatter()


class MaskResidentIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_shapes(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_shapes(record.exc_text)
            # A handler that rebuilds the report from the live exception (its frames' local values) would see the
            # ID again: the masked text is all that is passed on.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_id_shapes(record.stack_info)
        return True


def mask_every_handler() -> None:
    """Put the filter on every handler that a library attached to its own logger after the configuration (PySpark
    adds a stderr handler to its Connect logger when it is imported)."""
    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    for handler in (h for lg in loggers for h in lg.handlers):
        if not any(isinstance(f, MaskResidentIdFilter) for f in handler.filters):
            handler.addFilter(MaskResidentIdFilter())
