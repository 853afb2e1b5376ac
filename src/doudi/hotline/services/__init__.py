"""Hotline writes: tickets (``tickets``), what a ticket starts elsewhere (``links``), the 12345 import
(``platform``) and line checks (``lines``). All keyword-only, audited, in one transaction each."""

from doudi.hotline.services.escalation import ticket_escalate_overdue
from doudi.hotline.services.lines import line_check_draw, line_check_record
from doudi.hotline.services.links import ticket_link, ticket_open_review, ticket_to_application
from doudi.hotline.services.platform import ticket_import_12345
from doudi.hotline.services.tickets import (
    TicketInput,
    caller_reveal,
    ticket_accept,
    ticket_callback,
    ticket_create,
    ticket_resolve,
    ticket_respond,
    ticket_submit_public,
    ticket_transfer,
)

__all__ = [
    "TicketInput", "caller_reveal", "line_check_draw", "line_check_record", "ticket_accept", "ticket_callback",
    "ticket_create", "ticket_escalate_overdue", "ticket_import_12345", "ticket_link", "ticket_open_review",
    "ticket_resolve", "ticket_respond", "ticket_submit_public", "ticket_to_application", "ticket_transfer",
]
