"""One read-API mechanism in every app: id filters without select boxes, `q` in the FilterSet, orderings on columns."""

import importlib

import django_filters
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.filters import ProjectFilter
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import FeatureFactory, ProductFactory, link_feedback
from tests.programs.factories import ProjectFactory, ProjectObjectiveFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"
FILTER_MODULES = (
    "portfolio.core.filters",
    "products.filters",
    "programs.filters",
    "risks.filters",
    "portfolio.reports.filters",
)
API_URL_MODULES = (
    "portfolio.core.api.urls",
    "products.api.urls",
    "programs.api.urls",
    "risks.api.urls",
    "portfolio.reports.api.urls",
)


def filtersets():
    for module in FILTER_MODULES:
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet) and value._meta.model:
                yield value


def viewsets():
    for module in API_URL_MODULES:
        for _prefix, viewset, _basename in importlib.import_module(module).router.registry:
            yield viewset


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def queries_to_render(form) -> int:
    with CaptureQueriesContext(connection) as context:
        str(form)
    return len(context.captured_queries)


# --- id filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize("filterset", list(filtersets()), ids=lambda f: f.__name__)
def test_no_filter_form_loads_the_rows_of_a_related_table(filterset):
    ProjectFactory.create_batch(3)

    assert queries_to_render(filterset().form) == 0


def test_the_projects_filter_form_costs_the_same_queries_however_many_users_and_projects():
    def bound_form():
        project = ProjectFactory.create_batch(5, product=ProductFactory())[0]
        objective = ObjectiveFactory()
        data = {
            "program": project.program_id,
            "manager": project.manager_id,
            "product": project.product_id,
            "objectives": str(objective.pk),
        }
        return ProjectFilter(data).form

    few = queries_to_render(bound_form())
    UserFactory.create_batch(50)
    ProjectFactory.create_batch(50)

    assert queries_to_render(ProjectFilter().form) == 0
    assert queries_to_render(bound_form()) == few <= 4  # one look-up per id given


def test_the_browsable_api_renders_id_boxes_not_a_select_of_every_user(api_as, member):
    ProjectFactory.create_batch(3)
    client = api_as(member)

    with CaptureQueriesContext(connection) as few:
        page = client.get(f"{API}projects/", HTTP_ACCEPT="text/html")
    UserFactory.create_batch(30)
    ProjectFactory.create_batch(2)
    with CaptureQueriesContext(connection) as more:
        client.get(f"{API}projects/", HTTP_ACCEPT="text/html")

    assert page.status_code == 200
    assert 'name="manager"' in page.text
    assert '<select name="manager"' not in page.text
    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("collection", "name", "value"),
    [
        ("objectives", "owner", "abc"),
        ("key-results", "objective", "999999"),
        ("key-results", "objective_owner", "999999"),
        ("products", "objectives", "999999"),
        ("features", "release", "1.5"),
        ("projects", "features", "abc"),
        ("projects", "objectives", "999999"),
        ("resource-requests", "decided_by", "999999"),
        ("dependencies", "project", "999999"),
        ("risks", "project", "999999"),
        ("mitigation-actions", "risk", "x"),
        ("report-subscriptions", "recipient", "999999"),
        ("reports", "portfolio", "999999"),
    ],
)
def test_a_malformed_or_unknown_id_is_a_400_naming_the_field(api_as, superuser, collection, name, value):
    response = api_as(superuser).get(f"{API}{collection}/", {name: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_a_many_to_many_filter_takes_several_ids_repeated_or_comma_separated(api_as, member):
    first, second = ObjectiveFactory(), ObjectiveFactory()
    on_first = ProjectFactory()
    ProjectObjectiveFactory(project=on_first, objective=first)
    on_both = ProjectFactory()
    ProjectObjectiveFactory(project=on_both, objective=first)
    ProjectObjectiveFactory(project=on_both, objective=second)
    ProjectFactory()
    client = api_as(member)

    expected = sorted([on_first.pk, on_both.pk])
    assert sorted(ids(client.get(f"{API}projects/?objectives={first.pk}&objectives={second.pk}"))) == expected
    assert sorted(ids(client.get(f"{API}projects/?objectives={first.pk},{second.pk}"))) == expected
    assert ids(client.get(f"{API}projects/?objectives={second.pk}")) == [on_both.pk]


def test_a_feature_filter_on_projects_matches_linked_features(api_as, member):
    feature = FeatureFactory()
    linked = ProjectFactory()
    link_feedback(linked, feature, FeatureFactory())
    ProjectFactory()

    assert ids(api_as(member).get(f"{API}projects/", {"features": feature.pk})) == [linked.pk]


# --- search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewset", list(viewsets()), ids=lambda v: v.__name__)
def test_search_is_the_q_filter_of_the_filterset_not_a_separate_backend(viewset):
    assert not hasattr(viewset, "search_fields")


# --- ordering --------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewset", list(viewsets()), ids=lambda v: v.__name__)
def test_every_list_can_be_ordered_by_id_and_never_sorts_through_a_relation(viewset):
    model = viewset.filterset_class._meta.model
    aliases = getattr(viewset, "ordering_aliases", {})

    assert "id" in viewset.ordering_fields
    terms = [aliases.get(term, term) for term in viewset.ordering_fields]
    terms += [term.lstrip("-") for term in viewset.ordering]
    for term in terms:
        assert "__" not in term, f"{viewset.__name__} orders by {term}"
        try:
            field = model._meta.get_field(term)
        except FieldDoesNotExist:  # an annotation
            continue
        # ``<fk>_id`` names the column; ``<fk>`` sorts by the related model's own ordering (a join).
        assert not (field.is_relation and term == field.name), f"{viewset.__name__} orders by {term}: use {term}_id"
