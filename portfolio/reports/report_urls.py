from django.urls import path

from portfolio.reports import report_views

app_name = "stakeholder_reports"

urlpatterns = [
    path("", report_views.report_list, name="report_list"),
    path("<int:pk>/", report_views.report_detail, name="report_detail"),
    path("<int:pk>/html/", report_views.report_html, name="report_html"),
    path("<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("subscriptions/", report_views.subscription_list, name="subscription_list"),
    path("subscriptions/<int:pk>/edit/", report_views.subscription_update, name="subscription_update"),
    path("subscriptions/<int:pk>/delete/", report_views.subscription_delete, name="subscription_delete"),
    path("unsubscribe/<str:token>/", report_views.unsubscribe, name="unsubscribe"),
]
