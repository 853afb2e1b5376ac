"""Writes for monitoring. Views, the API, the commands and the tasks call these."""

from doudi.monitoring.services.alerts import alert_confirm, alert_push, alert_return, alert_visit, discovery_report
from doudi.monitoring.services.identification import (
    identification_decide,
    identification_propose,
    identification_verify,
)
from doudi.monitoring.services.lowincome import lowincome_add, lowincome_end, lowincome_refresh
from doudi.monitoring.services.plans import (
    plan_close,
    plan_create,
    plan_follow_up,
    plan_measure_add,
    plan_measure_update,
)
from doudi.monitoring.services.responses import Proposal

__all__ = [
    "Proposal",
    "alert_confirm",
    "alert_push",
    "alert_return",
    "alert_visit",
    "discovery_report",
    "identification_decide",
    "identification_propose",
    "identification_verify",
    "lowincome_add",
    "lowincome_end",
    "lowincome_refresh",
    "plan_close",
    "plan_create",
    "plan_follow_up",
    "plan_measure_add",
    "plan_measure_update",
]
