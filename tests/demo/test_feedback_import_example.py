"""The example import file the documentation ships imports cleanly into the demo product Flow."""

from pathlib import Path

import pytest
from django.conf import settings

from portfolio.core.models import User
from portfolio.demo.organisation import seed_organisation
from products import services
from products.models import Feedback, Product

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "feedback-import-example.csv"


def test_the_example_file_imports_into_flow_as_its_product_manager():
    seed_organisation(password="x")
    flow = Product.objects.get(slug="flow")
    before = Feedback.objects.filter(product=flow).count()

    result = services.feedback_import(
        user=User.objects.get(username="product.manager"), product=flow, file=EXAMPLE.read_bytes(), dry_run=False
    )

    assert result.ok, [str(error) for error in result.errors]
    assert result.created == 8
    assert Feedback.objects.filter(product=flow).count() == before + 8
    assert Feedback.objects.filter(product=flow, status="linked", summary__startswith="Single sign-on").exists()
