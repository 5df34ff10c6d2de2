"""The risk register's pages: the register and its CSV, the heat map, a risk and its mitigation actions."""

from django.urls import path

from risks.views import register, risks

app_name = "risks"

_RISK = "<int:pk>/"
_ACTION = "<int:pk>/actions/<int:action_pk>/"
urlpatterns = [
    path("", register.risk_list, name="risk_list"),
    path("export.csv", register.risk_export, name="risk_export"),
    path("heatmap/", register.risk_heatmap, name="risk_heatmap"),
    path("new/", risks.risk_create, name="risk_create"),
    path(_RISK, risks.risk_detail, name="risk_detail"),
    path(f"{_RISK}edit/", risks.risk_update, name="risk_update"),
    path(f"{_RISK}close/", risks.risk_close, name="risk_close"),
    path(f"{_RISK}reopen/", risks.risk_reopen, name="risk_reopen"),
    path(f"{_RISK}occurred/", risks.risk_occurred, name="risk_occurred"),
    path(f"{_RISK}delete/", risks.risk_delete, name="risk_delete"),
    path(f"{_RISK}actions/", risks.mitigation_action_create, name="mitigation_action_create"),
    path(f"{_ACTION}complete/", risks.mitigation_action_complete, name="mitigation_action_complete"),
    path(f"{_ACTION}reopen/", risks.mitigation_action_reopen, name="mitigation_action_reopen"),
    path(f"{_ACTION}delete/", risks.mitigation_action_delete, name="mitigation_action_delete"),
]
