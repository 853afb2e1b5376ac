from doudi.monitoring.models.alerts import Alert, AlertTransition, MonitoringRun, Visit
from doudi.monitoring.models.feeds import FeedBatch, FeedRow
from doudi.monitoring.models.lowincome import Identification, IdentificationTransition, LowIncomeMember, Screening
from doudi.monitoring.models.plans import HouseholdPlan, PlanFollowUp, PlanMeasure

__all__ = [
    "Alert",
    "AlertTransition",
    "FeedBatch",
    "FeedRow",
    "HouseholdPlan",
    "Identification",
    "IdentificationTransition",
    "LowIncomeMember",
    "MonitoringRun",
    "PlanFollowUp",
    "PlanMeasure",
    "Screening",
    "Visit",
]
