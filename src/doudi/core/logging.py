"""Resident ID numbers never reach a log.

``MaskResidentIdFilter`` is on every handler in ``settings.LOGGING`` (Django's own loggers are routed to those
handlers), and ``install_record_masking`` masks every record when it is made, for the handlers that libraries attach
to their own loggers later. Both mask the message with its arguments, the exception text (the traceback with the
exception's message, formatted once so every handler prints the masked copy) and the stack text. In a log even an
ID with a wrong check digit is masked: any 18-character run of digits (the last one may be X) loses its middle
eleven.
"""

from __future__ import annotations

import logging

from doudi.core.ids import mask_id_shapes

_FORMATTER = logging.Formatter()


def mask_record(record: logging.LogRecord) -> None:
    """Mask the record's message, exception text and stack text in place."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the message: logging reports it when emitting
        message = None
    if message is not None:
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


class MaskResidentIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_record_masking() -> None:
    """Mask every log record when it is made, so even a handler a library attaches later to its own logger
    (PySpark gives each of its loggers a stderr handler) never receives an ID. Installed once by ``CoreConfig``."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_ids", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_record(record)
        return record

    factory.masks_ids = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
