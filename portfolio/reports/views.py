from django.shortcuts import render

from portfolio.reports.selectors import home_summary


def home(request):
    """The signed-in user's starting page: their products, programs and report subscriptions."""
    return render(request, "reports/home.html", home_summary(user=request.user))
