"""The roadmap pages: timeline, board, list, print view and CSV; the card's "Move" menu; who sees what."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from products.models import Feature, ProductMember
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import (
    FeatureFactory,
    ProductFactory,
    ProductMemberFactory,
    ReleaseFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)  # Q4 2026: the default window is Q3 2026 – Q3 2027


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def atlas(product_manager):
    return ProductFactory(name="Atlas", slug="atlas", owner=product_manager)


@pytest.fixture
def payments(atlas):
    return ThemeFactory(product=atlas, name="Payments", position=1)


@pytest.fixture
def editor(atlas):
    user = UserFactory(username="editor")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def viewer(atlas):
    user = UserFactory(username="viewer")
    ProductMemberFactory(product=atlas, user=user, role=ProductMember.Role.VIEWER)
    return user


def url(name, product, **query):
    base = reverse(f"products:{name}", kwargs={"slug": product.slug})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_smoke(client, atlas, payments, product_manager):
    FeatureFactory(product=atlas, theme=payments, title="Card A", start_date=TODAY, end_date=TODAY + datetime.timedelta(days=100))
    FeatureFactory(product=atlas, title="Undated")
    client.force_login(product_manager)
    for name in ("roadmap", "roadmap_board", "roadmap_list", "roadmap_print", "roadmap_csv"):
        response = client.get(url(name, atlas))
        assert response.status_code == 200, name
    response = client.get(url("roadmap", atlas, by="release"))
    assert response.status_code == 200
    print(client.get(url("roadmap", atlas)).content.decode()[-6000:])
