import pytest
from django.core.exceptions import ValidationError

from portfolio.core.exceptions import Conflict
from portfolio.core.services import versioned_update
from tests.products.factories import FeatureFactory

pytestmark = pytest.mark.django_db


def test_update_at_the_current_version_saves_and_bumps_the_version():
    feature = FeatureFactory(title="Old")
    updated = versioned_update(instance=feature, version=1, data={"title": "New"})
    assert updated.version == 2
    feature.refresh_from_db()
    assert (feature.title, feature.version) == ("New", 2)
    assert feature.history.count() == 2


def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing():
    feature = FeatureFactory(title="Original")
    versioned_update(instance=feature, version=1, data={"title": "First edit"})
    stale = type(feature).objects.get(pk=feature.pk)
    stale.version = 1
    with pytest.raises(Conflict) as excinfo:
        versioned_update(instance=stale, version=1, data={"title": "Second edit"})
    assert excinfo.value.extra == {"current_version": 2}
    assert "changed by someone else" in excinfo.value.message
    feature.refresh_from_db()
    assert (feature.title, feature.version) == ("First edit", 2)


def test_invalid_update_raises_field_errors_and_changes_nothing():
    feature = FeatureFactory(effort=2)
    with pytest.raises(ValidationError) as excinfo:
        versioned_update(instance=feature, version=1, data={"effort": 0})
    assert "effort" in excinfo.value.message_dict
    feature.refresh_from_db()
    assert (feature.effort, feature.version) == (2, 1)
