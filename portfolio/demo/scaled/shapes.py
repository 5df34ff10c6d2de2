"""How big the benchmark organisation is (``SCALES``), and the fixed date everything in it is counted from."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """How many rows of each headline kind; per-parent kinds (themes, milestones…) follow the constants below."""

    users: int
    objectives: int
    portfolios: int
    programs: int
    projects: int
    products: int
    features: int  # every feature, the big product's included
    big_product_features: int  # the first product's features (a roadmap far bigger than the others)
    feedback: int
    feedback_links: int
    risks: int
    resources: int
    allocations_per_resource: int
    subscriptions: int


SCALES = {
    "large": Shape(
        users=10_000,
        objectives=40,
        portfolios=20,
        programs=200,
        projects=2_000,
        products=500,
        features=200_000,
        big_product_features=10_000,
        feedback=1_000_000,
        feedback_links=1_500_000,
        risks=20_000,
        resources=3_000,
        allocations_per_resource=20,
        subscriptions=5_000,
    ),
    "small": Shape(
        users=100,
        objectives=8,
        portfolios=2,
        programs=2,
        projects=20,
        products=5,
        features=2_000,
        big_product_features=100,
        feedback=10_000,
        feedback_links=15_000,
        risks=200,
        resources=30,
        allocations_per_resource=20,
        subscriptions=50,
    ),
}

ANCHOR = dt.date(2026, 11, 2)  # a Monday; "today" for every generated date
ANCHOR_TIME = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

KEY_RESULTS_PER_OBJECTIVE = 3
MEMBERS_PER_PRODUCT = 8
THEMES_PER_PRODUCT = 5
RELEASE_QUARTERS = (-2, -1, 0, 1, 2, 3)  # quarters relative to the anchor's
COMPETITORS_PER_PRODUCT = 3
INSIGHTS_PER_PRODUCT = 2
METRICS_PER_PRODUCT = 2
READINGS_PER_METRIC = 12
MILESTONES_PER_PROJECT = 4
FEATURES_PER_PROJECT = 8
COST_ENTRIES_PER_PROJECT = 6
STATUS_REPORTS_PER_ACTIVE_PROJECT = 2
