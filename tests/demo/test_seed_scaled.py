"""The benchmark organisation: exact shape, same rows for the same seed, never on top of existing data."""

import hashlib
import io

import pytest
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F

from portfolio.core.models import User
from portfolio.demo.scaled import SCALES, seed_scaled
from portfolio.reports.models import ReportSubscription
from products.models import Feature, Feedback, Product, Release, Theme
from programs.models import Allocation, Milestone, Portfolio, Program, Project, ProjectObjective, Resource
from risks.models import Risk
from tests.products.factories import ProductFactory

pytestmark = pytest.mark.django_db

SMALL = SCALES["small"]


class _RolledBack(Exception):
    pass


def _checksum() -> str:
    """Hash what a run produced, independent of timestamps."""
    digest = hashlib.sha256()
    for row in Feature.objects.order_by("id").values_list(
        "id", "product_id", "title", "status", "horizon", "release_id", "theme_id", "position", "rice_score"
    ):
        digest.update(repr(row).encode())
    for row in Feedback.objects.order_by("id").values_list("id", "product_id", "summary", "email", "received_at"):
        digest.update(repr(row).encode())
    for row in Feedback.features.through.objects.order_by("id").values_list("feedback_id", "feature_id"):
        digest.update(repr(row).encode())
    for row in Risk.objects.order_by("id").values_list("id", "project_id", "program_id", "product_id", "score"):
        digest.update(repr(row).encode())
    for row in Allocation.objects.order_by("id").values_list("resource_id", "project_id", "percent", "start_date"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _seed_and_roll_back(seed: int) -> str:
    """Seed into the (empty) test database, hash the result and undo it, as if on a fresh database."""
    checksum = ""
    try:
        with transaction.atomic():
            seed_scaled(scale="small", seed=seed, stdout=io.StringIO())
            checksum = _checksum()
            raise _RolledBack
    except _RolledBack:
        pass
    assert not Product.objects.exists()
    return checksum


def test_small_scale_has_exactly_the_promised_shape():
    out = io.StringIO()

    counts = seed_scaled(scale="small", seed=1, stdout=out)

    assert User.objects.count() == SMALL.users == 100
    assert Portfolio.objects.count() == 2
    assert Program.objects.count() == 2
    assert Project.objects.count() == 20
    assert Product.objects.count() == 5
    assert Feature.objects.count() == 2_000
    assert Feedback.objects.count() == 10_000
    assert Feedback.features.through.objects.count() == 15_000
    assert Risk.objects.count() == 200
    assert Resource.objects.count() == 30
    assert Allocation.objects.count() == 600
    assert ReportSubscription.objects.count() == 50
    assert counts["products.Feature"] == 2_000
    assert counts["products.Feedback_features"] == 15_000
    assert counts["core.User"] == 100
    biggest = Product.objects.annotate(n=Count("features")).order_by("id").values_list("n", flat=True)
    assert biggest[0] == SMALL.big_product_features == 100
    assert Milestone.objects.count() > 0 and ProjectObjective.objects.count() >= 20
    assert "products.Feature" in out.getvalue()


def test_small_scale_keeps_every_row_coherent():
    seed_scaled(scale="small", seed=1, stdout=io.StringIO())

    # Features use their own product's releases and themes; feedback links stay within its product.
    assert not Feature.objects.exclude(release=None).exclude(release__product=F("product")).exists()
    assert not Feature.objects.exclude(theme=None).exclude(theme__product=F("product")).exists()
    links = Feedback.features.through.objects
    assert not links.exclude(feature__product=F("feedback__product")).exists()
    assert not Feedback.objects.filter(status="linked", features=None).exists()
    assert Release.objects.count() == 5 * 6 and Theme.objects.count() == 5 * 5
    # Every user can sign in with the documented password, and the owners are product managers.
    assert User.objects.get(username="pm-0001").check_password("bench-password")
    assert Product.objects.order_by("id").first().owner.username == "pm-0001"
    # The id sequences were moved past the assigned keys: a plain save still works.
    ProductFactory(owner=User.objects.get(username="pm-0001"))


def test_the_same_seed_builds_the_same_rows_and_another_seed_does_not():
    first = _seed_and_roll_back(seed=1)
    second = _seed_and_roll_back(seed=1)
    other = _seed_and_roll_back(seed=2)

    assert first == second
    assert first != other


def test_it_refuses_to_build_on_a_database_that_already_has_products():
    ProductFactory()

    with pytest.raises(CommandError, match="already has products"):
        seed_scaled(scale="small", seed=1, stdout=io.StringIO())

    assert Product.objects.count() == 1
    assert not Feature.objects.exists()


def test_an_unknown_scale_is_refused():
    with pytest.raises(CommandError, match="Unknown scale"):
        seed_scaled(scale="huge", seed=1, stdout=io.StringIO())
