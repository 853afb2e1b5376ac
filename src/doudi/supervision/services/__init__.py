"""Supervision writes: the draw (``rounds``) and the inspection work on its items (``inspections``)."""

from doudi.supervision.services.inspections import action_add, action_done, action_open_review, item_record
from doudi.supervision.services.rounds import round_draw, round_publish, round_verify

__all__ = ["action_add", "action_done", "action_open_review", "item_record", "round_draw", "round_publish",
           "round_verify"]
