from django.urls import NoReverseMatch, reverse

# (label, url name). A link appears only once its page exists, so areas join the
# navigation as they are built.
NAVIGATION = (
    ("Home", "home"),
    ("Overview", "reports:organisation_dashboard"),
    ("Products", "products:product_list"),
    ("Portfolios", "programs:portfolio_list"),
    ("Strategy", "programs:strategy"),
    ("Capacity", "programs:capacity"),
    ("Requests", "programs:resource_request_queue"),
    ("Risks", "risks:risk_list"),
    ("Reports", "stakeholder_reports:report_list"),
    ("API", "api-docs"),
)


def navigation(request):
    """Expose the main navigation, leaving out areas whose pages are not routed."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": _is_active(request.path, url)})
    if request.user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": False})
    return {"navigation": items}


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
