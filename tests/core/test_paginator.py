"""The capped paginator: an exact count up to the cap, "that many or more" past it, and pages on past the cap."""

import pytest
from django.core.paginator import EmptyPage

from portfolio.core.paginator import CappedPaginator
from products.models import Feedback
from tests.products.factories import FeedbackFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)


def feedback(count: int):
    product = ProductFactory()
    FeedbackFactory.create_batch(count, product=product)
    return Feedback.objects.filter(product=product).order_by("id")


def test_below_the_cap_it_counts_exactly_like_djangos_paginator(cap_of_five):
    paginator = CappedPaginator(feedback(4), 2)

    assert (paginator.count, paginator.count_is_exact, paginator.num_pages) == (4, True, 2)
    assert not paginator.page(2).has_next()


def test_past_the_cap_it_says_so_and_still_pages_to_the_end(cap_of_five):
    rows = feedback(9)
    paginator = CappedPaginator(rows, 2)

    assert (paginator.count, paginator.count_is_exact) == (5, False)
    fifth = paginator.page(5)
    assert [item.pk for item in fifth] == [rows[8].pk]
    assert (fifth.has_next(), fifth.start_index(), fifth.end_index()) == (False, 9, 9)
    assert paginator.page(4).has_next()
    with pytest.raises(EmptyPage):
        paginator.page(6)


def test_the_api_says_when_its_count_stopped_at_the_cap(cap_of_five, api_as, product_manager):
    rows = feedback(7)
    client = api_as(product_manager)

    capped = client.get(f"/api/v1/feedback/?product={rows[0].product_id}&page_size=3&page=3").json()
    exact = client.get(f"/api/v1/feedback/?product={rows[0].product_id}&company=nobody").json()

    assert (capped["count"], capped["count_is_exact"], len(capped["results"]), capped["next"]) == (5, False, 1, None)
    assert (exact["count"], exact["count_is_exact"]) == (0, True)
