"""The expectations table of the security matrix (``test_matrix``): which roles may reach which route.

Every URL pattern of the URL conf (by route name) and every operation of the REST API (``"api:<METHOD> <path>"``)
must have a row here; a route missing from the table fails the matrix (default deny), so a new screen or endpoint is
covered as soon as it exists. A row says who may GET the page and who may POST to it, and which model its object
arguments are (the matrix picks a real row in township A for the in-area check, one in township B for the
cross-area check).

Roles are the demo logins plus two without one: ``anon`` (not logged in) and ``outsider`` (an account without any
grant). ``medical`` is a department user (list-only, sends its data), ``auditor`` is read-only city-wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anon", "outsider", "applicant", "village", "township", "county", "city", "medical", "auditor", "admin")

NONE: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})  # the administrator role (the demo's is a city administrator)
AUDIT = frozenset({"auditor", "admin"})  # the audit log: auditors and administrators
COUNTY = frozenset({"county", "city", "admin"})
TOWN = COUNTY | {"township"}  # township-level change (the case workflow's TOWNSHIP steps, payroll, funds)
WRITE = TOWN | {"village"}  # the change action anywhere in scope
FULL = WRITE | {"auditor"}  # full records: read-only roles read, departments do not
STAFF = FULL | {"medical"}  # any region grant (lists)
LOGGED_IN = STAFF | {"applicant", "outsider"}
PUBLIC = LOGGED_IN | {"anon"}
EXPORT = frozenset({"township", "county", "city", "auditor", "admin"})  # the export action
DECIDERS = frozenset({"township", "county", "city", "admin"})  # offered a second factor (decide/administer)
# A list page opens for anyone signed in and is empty outside one's scope (fail closed); which rows it holds is the
# permission meta-test's business (tests/accounts/test_every_model_is_scoped.py).
LIST = LOGGED_IN
API_DOCS = frozenset({"admin"})  # staff users only (the demo administrator is the installation's superuser)


@dataclass(frozen=True)
class Route:
    get: frozenset[str] = NONE  # who gets the page (2xx/3xx); everyone else 401/403/404/405 or the login page
    post: frozenset[str] = NONE  # who may write; anyone else writes nothing
    objects: dict[str, str] = field(default_factory=dict)  # URL argument → model label ("" = a region code)
    values: dict[str, str] = field(default_factory=dict)  # URL argument → a fixed value (fmt, action, …)


def r(get=NONE, post=NONE, objects=None, **values) -> Route:
    return Route(frozenset(get), frozenset(post), objects or {}, values)


HH = {"pk": "registry.Household"}
CASE = {"pk": "cases.Case"}
PAYROLL = {"pk": "payments.Payroll"}
ALERT = {"pk": "monitoring.Alert"}
TICKET = {"pk": "hotline.Ticket"}
ITEM = {"pk": "supervision.InspectionItem"}
REPORT = {"pk": "reports.StatReport"}
# Routes whose objects another township's caseworker may reach by design, each with the reason; the cross-area check
# skips them (the route check still runs).
CROSS_AREA_BY_DESIGN = {
    "supervision:item_detail": "双随机 回避: inspectors come from other townships and open the items they were sent to",
    "supervision:action_add": "a drawn inspector from another township records the corrective action of their item",
}

ROUTES: dict[str, Route] = {
    # --- shell, login, i18n
    "web:home": r(LOGGED_IN),
    "web:region_picker": r(LOGGED_IN),  # the picker fragment: empty for an account without a region
    "login": r(PUBLIC, PUBLIC),
    "login_verify": r(LOGGED_IN, NONE),  # nothing pending: back to the home page
    "logout": r(NONE, LOGGED_IN),
    "set_language": r(PUBLIC, PUBLIC),  # a GET changes nothing and goes back
    # --- accounts and regions (administration)
    "accounts:password_change": r(LOGGED_IN, LOGGED_IN),
    "accounts:second_factor": r(DECIDERS, DECIDERS),
    "accounts:manage": r(ADMIN),
    "accounts:user_list": r(ADMIN),
    "accounts:user_new": r(ADMIN, ADMIN),
    "accounts:user_detail": r(ADMIN, objects={"pk": "accounts.User"}),
    "accounts:user_edit": r(NONE, ADMIN, objects={"pk": "accounts.User"}),
    "accounts:user_password": r(NONE, ADMIN, objects={"pk": "accounts.User"}),
    "accounts:grant_add": r(NONE, ADMIN, objects={"pk": "accounts.User"}),
    "accounts:grant_remove": r(NONE, ADMIN, objects={"pk": "accounts.User", "grant_pk": "accounts.RegionGrant"}),
    "accounts:user_unlock": r(NONE, ADMIN, objects={"pk": "accounts.User"}),
    "accounts:user_second_factor_reset": r(NONE, ADMIN, objects={"pk": "accounts.User"}),
    "regions:region_list": r(ADMIN),
    "regions:region_detail": r(ADMIN, objects={"code": ""}),
    "regions:region_rename": r(NONE, ADMIN, objects={"code": ""}),
    "regions:region_office": r(NONE, ADMIN, objects={"code": ""}),
    "regions:change_request": r(NONE, ADMIN, objects={"code": ""}),
    "regions:change_decide": r(NONE, ADMIN, objects={"pk": "administration.RegionChange"}, decision="confirm"),
    # --- registry, audit
    "registry:household_list": r(LIST),
    "registry:household_detail": r(FULL, objects=HH),
    "registry:evidence_add": r(WRITE, WRITE, objects=HH),
    "registry:household_edit": r(WRITE, WRITE, objects=HH),
    "registry:account_change_decide": r(NONE, WRITE, objects={**HH, "change_id": "registry.BankAccountChange"},
                                        decision="confirm"),
    "registry:account_changes": r(LIST),
    "registry:evidence_end": r(NONE, WRITE, objects={**HH, "evidence_id": "registry.Income"}, kind="income"),
    "registry:import": r(TOWN, TOWN),
    "registry:import_template": r(TOWN),
    "registry:export": r(EXPORT, fmt="csv"),
    "audit:event_list": r(AUDIT),
    "audit:event_list_export": r(AUDIT, fmt="csv"),
    # --- cases
    "cases:case_list": r(LIST),
    "cases:case_list_export": r(EXPORT, fmt="csv"),
    "cases:case_detail": r(FULL, objects=CASE),
    "cases:case_step": r(NONE, WRITE, objects=CASE),
    "cases:investigation_add": r(NONE, WRITE, objects=CASE),
    "cases:investigation_sign": r(NONE, WRITE, objects={**CASE, "investigation_pk": "cases.Investigation"}),
    "cases:verification_add": r(NONE, WRITE, objects=CASE),
    "cases:verification_from_report": r(NONE, WRITE, objects=CASE),
    "cases:appraisal_add": r(NONE, WRITE, objects=CASE),
    "cases:notice_served": r(NONE, WRITE, objects=CASE),
    "cases:appeal_add": r(NONE, WRITE, objects=CASE),
    "cases:amount_confirm": r(NONE, DECIDERS, objects=CASE),  # the second approver of an amount (issue 9.2)
    "cases:decision_pdf": r(FULL, objects={"pk": "cases.Decision:case_id"}),
    "cases:application_new": r(WRITE, WRITE, objects={"household_pk": "registry.Household"}),
    "cases:case_attachment_add": r(NONE, WRITE, objects=CASE),
    "cases:attachment_download": r(FULL, objects={"pk": "cases.Attachment"}),
    "cases:household_archive": r(STAFF, objects=HH),  # the list of cases, names only
    "cases:person_archive": r(STAFF, objects={"pk": "registry.Person"}),
    "cases:public_notice": r(PUBLIC, objects={"region_code": ""}),
    "cases:application_assist": r(NONE, WRITE, objects=CASE),
    "cases:locality_settings": r(COUNTY, COUNTY),
    "cases:adjustment_new": r(WRITE, WRITE, objects={"entitlement_pk": "benefits.Entitlement"}),
    "relatives:register": r(TOWN, TOWN),
    "selfservice:home": r({"applicant"}, {"applicant"}),
    "selfservice:upload": r(NONE, {"applicant"}),
    "selfservice:sign": r(NONE, {"applicant"}),
    # --- temporary assistance
    "temporary:fund_list": r(LIST),
    "temporary:fund_open": r(NONE, TOWN),
    "temporary:fund_top_up": r(NONE, TOWN, objects={"pk": "temporary.ReserveFund"}),
    "temporary:top_up_confirm": r(NONE, TOWN, objects={"pk": "temporary.FundTopUp"}),
    "temporary:advance_confirm": r(NONE, TOWN, objects={"pk": "temporary.TemporaryPayment"}),
    "temporary:payment_add": r(NONE, TOWN, objects=CASE),
    "temporary:minutes_add": r(NONE, WRITE, objects=CASE),
    "temporary:band_preview": r(WRITE, objects={"household_pk": "registry.Household"}),  # intake's band (HTMX)
    # --- medical assistance claims (issue 8 item 6)
    "medical:claim_list": r(LIST),
    "medical:claim_add": r(NONE, WRITE),
    "medical:claim_import": r(NONE, WRITE),
    "medical:claims_evaluate": r(NONE, WRITE),
    "medical:claim_decide": r(NONE, DECIDERS, objects={"pk": "medical.MedicalClaim"}),
    "medical:payroll_make": r(NONE, TOWN),
    "medical:institution_add": r(NONE, TOWN),
    "medical:institution_edit": r(TOWN, TOWN, objects={"pk": "payments.PayeeInstitution"}),
    "medical:institution_account_decide": r(NONE, TOWN, objects={"pk": "payments.PayeeInstitution",
                                                                 "change_id": "payments.PayeeAccountChange"},
                                            decision="confirm"),
    "medical:settlement_make": r(NONE, TOWN),
    # --- eligibility, verification, referrals
    "eligibility:household_evaluation": r(FULL, WRITE, objects=HH),
    "verification:household": r(FULL, objects=HH),
    "verification:authorisation_add": r(NONE, WRITE, objects=HH),
    "verification:request_add": r(NONE, WRITE, objects=HH),
    "verification:request_run": r(NONE, WRITE, objects={"pk": "verification.VerificationRequest"}),
    "verification:discrepancy_resolve": r(NONE, WRITE, objects={"pk": "verification.Discrepancy"},
                                          decision="accept"),
    "verification:department_data": r(COUNTY, COUNTY),
    "referrals:inbox": r(LIST),
    "referrals:inbox_export": r(EXPORT, fmt="csv"),
    "referrals:detail": r(STAFF, objects={"pk": "referrals.Referral"}),
    "referrals:transition": r(NONE, STAFF, objects={"pk": "referrals.Referral"}),
    "referrals:household": r(STAFF, WRITE, objects=HH),
    # --- payments
    "payments:payroll_list": r(LIST, TOWN),
    "payments:payroll_detail": r(FULL, objects=PAYROLL),
    "payments:payroll_progress": r(FULL, objects=PAYROLL),
    "payments:payroll_export": r(NONE, TOWN, objects=PAYROLL, fmt="csv"),
    "payments:payroll_action": r(NONE, TOWN, objects=PAYROLL, action="generate"),
    "payments:household_history": r(FULL, WRITE, objects=HH),
    "payments:statements": r(LIST),
    "payments:chart": r(LIST),
    "payments:budget": r(LIST, TOWN),
    "payments:price_linkage": r(LIST, COUNTY),
    # --- reviews
    "reviews:review_list": r(LIST),
    "reviews:review_list_export": r(EXPORT, fmt="csv"),
    "reviews:scan": r(NONE, TOWN),
    "reviews:review_detail": r(FULL, objects={"pk": "reviews.ReviewTask"}),
    "reviews:review_action": r(NONE, WRITE, objects={"pk": "reviews.ReviewTask"}, action="verify"),
    "reviews:overpayment_list": r(LIST),
    "reviews:overpayment_list_export": r(EXPORT, fmt="csv"),
    "reviews:overpayment_detail": r(FULL, WRITE, objects={"pk": "reviews.Overpayment"}),
    "reviews:credit_list": r(LIST, WRITE),
    "reviews:job_offer_list": r(LIST, WRITE),
    "reviews:household_credit": r(FULL, objects=HH),
    # --- monitoring
    "monitoring:dashboard": r(FULL),
    "monitoring:rollup": r(FULL),
    "monitoring:household": r(FULL, objects=HH),
    "monitoring:household_entry": r(NONE, WRITE, objects=HH, action="add"),
    "monitoring:alert_list": r(FULL),
    "monitoring:alert_export": r(EXPORT, fmt="csv"),
    "monitoring:alert_push": r(NONE, COUNTY),
    "monitoring:alert_detail": r(FULL, objects=ALERT),
    "monitoring:alert_action": r(NONE, WRITE, objects=ALERT, action="claim"),
    "monitoring:visit_file": r(NONE, objects={"pk": "monitoring.Visit"}, which="photo"),  # demo visits: no files
    "monitoring:village_home": r(WRITE),
    "monitoring:village_report": r(WRITE, WRITE),
    "monitoring:village_visit": r(WRITE, WRITE, objects=ALERT),
    "monitoring:lowincome_list": r(FULL),
    "monitoring:lowincome_export": r(EXPORT, fmt="csv"),
    "monitoring:unenrolled_list": r(FULL),
    "monitoring:unenrolled_export": r(EXPORT, fmt="csv"),
    "monitoring:identification_list": r(FULL),
    "monitoring:identification_export": r(EXPORT, fmt="csv"),
    "monitoring:identification_new": r(FULL, WRITE),  # the form opens for auditors; saving is refused
    "monitoring:identification_detail": r(FULL, objects={"pk": "monitoring.Identification"}),
    "monitoring:identification_action": r(NONE, WRITE, objects={"pk": "monitoring.Identification"},
                                          action="accept"),
    "monitoring:plan_list": r(FULL),
    "monitoring:plan_export": r(EXPORT, fmt="csv"),
    "monitoring:plan_new": r(WRITE, WRITE, objects={"household": "registry.Household"}),
    "monitoring:plan_detail": r(FULL, objects={"pk": "monitoring.HouseholdPlan"}),
    "monitoring:plan_action": r(NONE, WRITE, objects={"pk": "monitoring.HouseholdPlan"}, action="follow_up"),
    "monitoring:feed_list": r(STAFF, STAFF),
    "monitoring:batch_export": r(EXPORT, fmt="csv"),
    "monitoring:feed_detail": r(STAFF, objects={"pk": "monitoring.FeedBatch"}),
    "monitoring:run_list": r(FULL),
    "monitoring:run_resume": r(NONE, COUNTY, objects={"pk": "monitoring.MonitoringRun"}),
    # --- care and services (issue 12)
    "care:home": r(LIST),
    "care:visit_list": r(LIST),  # the visits this user may record (empty for read-only roles)
    "care:visit_new": r(WRITE, WRITE, objects={"pk": "care.VisitTarget"}),
    "care:arrangement_new": r(WRITE, WRITE, objects={"person_pk": "registry.Person"}),
    "care:arrangement_detail": r(FULL, objects={"pk": "care.SupportArrangement"}),
    "care:assessment_new": r(NONE, WRITE, objects={"pk": "care.SupportArrangement"}),
    "care:agreement_action": r(NONE, WRITE, objects={"pk": "care.SupportArrangement"}, action="sign"),
    "care:institution_list": r(LIST),
    "care:check_new": r(WRITE, WRITE, objects={"pk": "care.Institution"}),
    "care:plan": r(FULL, objects=HH),
    "care:target_add": r(NONE, WRITE, objects=HH),
    "socialforces:home": r(LIST),
    "socialforces:act": r(NONE, WRITE, action="organisation"),
    "socialforces:act_on": r(NONE, WRITE, objects={"pk": "socialforces.Donation"}, action="disclose"),
    # --- the REST API (django-ninja): every operation, by method and path
    # --- hotline (issue 11): tickets are read by roles that see full records; the caller by the handler only
    "hotline:list": r(LIST),
    "hotline:new": r(LOGGED_IN, WRITE),  # the form opens for anyone signed in, with only their own areas
    "hotline:import": r(LOGGED_IN, TOWN),
    "hotline:lines": r(LIST),
    "hotline:line_check": r(NONE, TOWN, objects={"pk": "hotline.HotlineLine"}),
    "hotline:public": r(PUBLIC, PUBLIC),
    "hotline:detail": r(TOWN | {"auditor"}, objects=TICKET),
    "hotline:caller": r(NONE, TOWN, objects=TICKET),  # an audited reveal (a view, not a change)
    "hotline:act": r(NONE, TOWN, objects=TICKET, step="accept"),
    # --- 双随机一公开: drawn inspectors also open their own items elsewhere (see CROSS_AREA_BY_DESIGN)
    "supervision:round_list": r(LOGGED_IN, COUNTY),
    "supervision:round_detail": r(STAFF - {"township", "village"}, objects={"pk": "supervision.InspectionRound"}),
    "supervision:round_publish": r(NONE, COUNTY, objects={"pk": "supervision.InspectionRound"}),
    "supervision:item_detail": r(FULL, WRITE, objects=ITEM),
    "supervision:action_add": r(NONE, WRITE, objects=ITEM),
    "supervision:action_step": r(NONE, WRITE, objects={"pk": "supervision.CorrectiveAction"}, step="done"),
    # --- openness: public, no login (a fixed village: every area's page is public)
    "openness:index": r(PUBLIC),
    "openness:area": r(PUBLIC, code="150702100201"),
    # --- the desk and statutory reports
    "reports:desk": r(LOGGED_IN),
    "reports:todo": r(LOGGED_IN),
    "reports:oversight": r({"county", "city", "admin", "auditor"}),
    "reports:evaluation": r({"county", "city", "admin", "auditor"}),  # directors (county level and above, export)
    "reports:evaluation_xlsx": r({"county", "city", "admin", "auditor"}),
    "reports:report_list": r(LOGGED_IN, {"county", "city", "admin"}),
    "reports:report_detail": r({"county", "city", "admin", "auditor"}, objects=REPORT),
    "reports:report_xlsx": r({"county", "city", "admin", "auditor"}, objects=REPORT),
    "reports:report_pdf": r({"county", "city", "admin", "auditor"}, objects=REPORT),
    "api:openapi-json": r(API_DOCS),
    "api:openapi-view": r(API_DOCS),
    "api:api-root": r(NONE),
    "api:GET /api/hotline/": r(LIST),
    "api:POST /api/hotline/": r(NONE, WRITE),
    "api:GET /api/hotline/{ticket_id}/": r(TOWN | {"auditor"}, objects={"ticket_id": "hotline.Ticket"}),
    "api:POST /api/hotline/{ticket_id}/accept/": r(NONE, TOWN, objects={"ticket_id": "hotline.Ticket"}),
    "api:POST /api/hotline/{ticket_id}/resolve/": r(NONE, TOWN, objects={"ticket_id": "hotline.Ticket"}),
    "api:GET /api/cases/": r(LIST),
    "api:POST /api/cases/applications": r(NONE, WRITE),
    "api:GET /api/cases/{case_id}": r(FULL, objects={"case_id": "cases.Case"}),
    "api:POST /api/cases/{case_id}/transitions": r(NONE, WRITE, objects={"case_id": "cases.Case"}),
    "api:POST /api/cases/{case_id}/investigations": r(NONE, WRITE, objects={"case_id": "cases.Case"}),
    "api:POST /api/cases/investigations/{investigation_id}/sign": r(
        NONE, WRITE, objects={"investigation_id": "cases.Investigation"}),
    "api:POST /api/cases/{case_id}/verification": r(NONE, WRITE, objects={"case_id": "cases.Case"}),
    "api:POST /api/cases/{case_id}/rejection-notice": r(NONE, WRITE, objects={"case_id": "cases.Case"}),
    "api:POST /api/cases/{case_id}/appeals": r(NONE, WRITE, objects={"case_id": "cases.Case"}),
    "api:GET /api/cases/public/{region_code}": r(PUBLIC, objects={"region_code": ""}),
    "api:POST /api/temporary/cases/{case_id}/payments": r(NONE, TOWN, objects={"case_id": "cases.Case"}),
    "api:POST /api/temporary/payments/{payment_id}/confirm": r(
        NONE, TOWN, objects={"payment_id": "temporary.TemporaryPayment"}),
    "api:POST /api/temporary/top-ups/{top_up_id}/confirm": r(NONE, TOWN, objects={"top_up_id": "temporary.FundTopUp"}),
    "api:GET /api/verification/authorisations/": r(LIST),
    "api:POST /api/verification/authorisations/": r(NONE, WRITE),
    "api:GET /api/verification/requests/": r(LIST),
    "api:POST /api/verification/requests/": r(NONE, WRITE),
    "api:POST /api/verification/requests/{request_id}/run/": r(
        NONE, WRITE, objects={"request_id": "verification.VerificationRequest"}),
    "api:GET /api/verification/reports/{report_id}/": r(FULL, objects={"report_id": "verification.VerificationReport"}),
    "api:POST /api/verification/discrepancies/{discrepancy_id}/accept/": r(
        NONE, WRITE, objects={"discrepancy_id": "verification.Discrepancy"}),
    "api:POST /api/verification/discrepancies/{discrepancy_id}/dismiss/": r(
        NONE, WRITE, objects={"discrepancy_id": "verification.Discrepancy"}),
    "api:GET /api/referrals/": r(LIST),
    "api:POST /api/referrals/": r(NONE, WRITE),
    "api:POST /api/referrals/{referral_id}/transition/": r(NONE, STAFF, objects={"referral_id": "referrals.Referral"}),
    "api:GET /api/payments/payrolls": r(LIST),
    "api:POST /api/payments/payrolls": r(NONE, TOWN),
    "api:GET /api/payments/payrolls/{pk}": r(FULL, objects=PAYROLL),
    "api:POST /api/payments/payrolls/{pk}/generate": r(NONE, TOWN, objects=PAYROLL),
    "api:POST /api/payments/payrolls/{pk}/transition": r(NONE, TOWN, objects=PAYROLL),
    "api:GET /api/payments/payrolls/{pk}/reconciliation": r(FULL, objects=PAYROLL),
    "api:GET /api/payments/households/{pk}/payments": r(FULL, objects=HH),
    "api:GET /api/reviews/tasks": r(LIST),
    "api:POST /api/reviews/tasks": r(NONE, WRITE),
    "api:GET /api/reviews/tasks/{pk}": r(FULL, objects={"pk": "reviews.ReviewTask"}),
    "api:POST /api/reviews/tasks/{pk}/verify": r(NONE, WRITE, objects={"pk": "reviews.ReviewTask"}),
    "api:POST /api/reviews/tasks/{pk}/evaluate": r(NONE, WRITE, objects={"pk": "reviews.ReviewTask"}),
    "api:POST /api/reviews/tasks/{pk}/decide": r(NONE, WRITE, objects={"pk": "reviews.ReviewTask"}),
    "api:POST /api/reviews/scan": r(NONE, TOWN),
    "api:GET /api/reviews/overpayments": r(LIST),
    "api:POST /api/reviews/overpayments": r(NONE, WRITE),
    "api:GET /api/reviews/overpayments/{pk}": r(FULL, objects={"pk": "reviews.Overpayment"}),
    "api:POST /api/reviews/overpayments/{pk}/recoveries": r(NONE, WRITE, objects={"pk": "reviews.Overpayment"}),
    "api:POST /api/reviews/overpayments/{pk}/waive": r(NONE, WRITE, objects={"pk": "reviews.Overpayment"}),
    "api:POST /api/reviews/overpayments/{pk}/fine": r(NONE, WRITE, objects={"pk": "reviews.Overpayment"}),
    "api:GET /api/reviews/credit": r(LIST),
    "api:POST /api/reviews/credit": r(NONE, WRITE),
    "api:GET /api/reviews/job-offers": r(LIST),
    "api:POST /api/reviews/job-offers": r(NONE, WRITE),
    "api:POST /api/monitoring/feeds/{feed}/push": r(NONE, STAFF, feed="medical_settlement"),
    "api:GET /api/monitoring/alerts": r(LIST),
    # the medical-insurance department's push of settlements (its area; civil affairs may load what it received)
    "api:POST /api/medical/claims/push": r(NONE, {"medical", "county", "city", "admin"}),
}
