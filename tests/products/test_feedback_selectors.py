"""The inbox's figures and searches, each against counts worked out by hand."""

import pytest

from products import selectors
from products.models import Feedback, Product
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def atlas():
    return ProductFactory(slug="atlas")


def test_the_view_counts_add_triaged_and_linked_and_count_every_status_in_all(atlas):
    for status, n in (("new", 3), ("triaged", 2), ("linked", 4), ("archived", 1)):
        FeedbackFactory.create_batch(n, product=atlas, status=status)
    FeedbackFactory.create_batch(5, status="new")  # another product's

    counts = selectors.feedback_view_counts(queryset=Feedback.objects.filter(product=atlas))

    assert counts == {"new": 3, "triaged": 6, "archived": 1, "all": 10}


def test_the_view_counts_stop_one_past_the_cap(atlas, monkeypatch):
    monkeypatch.setattr("products.selectors.COUNT_CAP", 2)
    FeedbackFactory.create_batch(4, product=atlas)

    counts = selectors.feedback_view_counts(queryset=Feedback.objects.filter(product=atlas))

    assert counts["new"] == 3 and counts["all"] == 3 and counts["archived"] == 0


def test_the_product_pages_read_the_new_count_with_the_product(atlas):
    FeedbackFactory.create_batch(2, product=atlas)
    FeedbackFactory(product=atlas, status="triaged")

    assert selectors.product_by_slug(slug="atlas").new_feedback_count == 2
    assert selectors.product_detail(slug="atlas").new_feedback_count == 2
    assert selectors.product_new_feedback_count(product=atlas) == 2
    assert selectors.product_by_slug(slug=ProductFactory(slug="empty").slug).new_feedback_count == 0


def test_the_inbox_view_new_lists_only_new_items_newest_first(atlas):
    older = FeedbackFactory(product=atlas, received_at="2026-11-01T10:00Z")
    newer = FeedbackFactory(product=atlas, received_at="2026-11-02T10:00Z")
    FeedbackFactory(product=atlas, status="triaged")

    rows = selectors.feedback_inbox(queryset=Feedback.objects.filter(product=atlas), view="new")

    assert list(rows) == [newer, older]


def test_the_feature_candidates_match_every_word_and_leave_out_linked_and_foreign_features(atlas):
    linked = FeatureFactory(product=atlas, title="Offline maps")
    wanted = FeatureFactory(product=atlas, title="Maps for the night", description="dark mode")
    FeatureFactory(product=atlas, title="Night shift rota")
    FeatureFactory(title="Maps at night elsewhere")
    item = FeedbackFactory(product=atlas)
    item.features.add(linked)

    found = selectors.feedback_feature_candidates(product=atlas, q="maps NIGHT", feedback=item)

    assert found == [wanted]
    assert selectors.feedback_feature_candidates(product=atlas, q="dark", feedback=None) == [wanted]


def test_the_feedback_candidates_of_a_feature_are_its_products_unlinked_and_unarchived_items(atlas):
    feature = FeatureFactory(product=atlas)
    wanted = FeedbackFactory(product=atlas, summary="Tunnel maps", company="Swift")
    FeedbackFactory(product=atlas, summary="Tunnel again").features.add(feature)
    FeedbackFactory(product=atlas, summary="Tunnel archived", status="archived")
    FeedbackFactory(product=ProductFactory(), summary="Tunnel elsewhere")

    assert selectors.feature_feedback_candidates(feature=feature, q="tunnel") == [wanted]
    assert selectors.feature_feedback_candidates(feature=feature, q="swift") == [wanted]
    assert len(selectors.feature_feedback_candidates(feature=feature, q="")) == 1
    assert Product.objects.count() == 2
