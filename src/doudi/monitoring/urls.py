from django.urls import path

from doudi.monitoring import exports
from doudi.monitoring.views import alerts, dashboard, feeds, lowincome, plans, village

app_name = "monitoring"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("rollup/", dashboard.rollup, name="rollup"),
    path("households/<int:pk>/", dashboard.household_timeline, name="household"),
    path("households/<int:pk>/<str:action>", dashboard.household_entry, name="household_entry"),
    path("alerts/", alerts.alert_list, name="alert_list"),
    path("alerts/export.<str:fmt>", exports.alert_export, name="alert_export"),
    path("alerts/push", alerts.alert_push, name="alert_push"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/<str:action>", alerts.alert_action, name="alert_action"),
    path("visits/<int:pk>/<str:which>", alerts.visit_file, name="visit_file"),
    path("village/", village.village_home, name="village_home"),
    path("village/report/", village.village_report, name="village_report"),
    path("village/<int:pk>/", village.village_visit, name="village_visit"),
    path("lowincome/", lowincome.lowincome_list, name="lowincome_list"),
    path("lowincome/export.<str:fmt>", exports.lowincome_export, name="lowincome_export"),
    path("discovery/", lowincome.unenrolled_list, name="unenrolled_list"),
    path("discovery/export.<str:fmt>", exports.unenrolled_export, name="unenrolled_export"),
    path("identifications/", lowincome.identification_list, name="identification_list"),
    path("identifications/export.<str:fmt>", exports.identification_export, name="identification_export"),
    path("identifications/new/", lowincome.identification_new, name="identification_new"),
    path("identifications/<int:pk>/", lowincome.identification_detail, name="identification_detail"),
    path("identifications/<int:pk>/<str:action>", lowincome.identification_action, name="identification_action"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/export.<str:fmt>", exports.plan_export, name="plan_export"),
    path("plans/new/<int:household>/", plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/<str:action>", plans.plan_action, name="plan_action"),
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/export.<str:fmt>", exports.batch_export, name="batch_export"),
    path("feeds/<int:pk>/", feeds.feed_detail, name="feed_detail"),
    path("runs/", feeds.run_list, name="run_list"),
    path("runs/<int:pk>/resume", feeds.run_resume, name="run_resume"),
]
