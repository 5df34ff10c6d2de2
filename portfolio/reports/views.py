from django.shortcuts import render

from portfolio.core.roles import LEADERSHIP
from portfolio.reports.dashboard import organisation_dashboard
from portfolio.reports.selectors import home_summary
from programs.selectors import home_resource_requests, resource_request_waiting_count


def home(request):
    """The signed-in user's starting page: their products, programs, resource requests and report subscriptions;
    for leadership first the organisation overview's verdict on every portfolio (the overview is their landing page)."""
    context = home_summary(user=request.user)
    if LEADERSHIP in request.user.roles:
        context["overview"] = organisation_dashboard()
    context["my_requests"] = home_resource_requests(user=request.user)
    context["requests_waiting"] = resource_request_waiting_count(user=request.user)
    return render(request, "reports/home.html", context)
