"""Logging filter that masks anything shaped like a resident ID number: ID numbers never reach a log."""

from __future__ import annotations

import logging

from doudi.core.ids import mask_ids_in_text


class MaskResidentIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids_in_text(message)
        if masked != message:
            record.msg = masked
            record.args = ()
        return True
