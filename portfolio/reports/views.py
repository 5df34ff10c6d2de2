from django.shortcuts import render


def home(request):
    """The signed-in user's starting page."""
    return render(request, "reports/home.html", {})
