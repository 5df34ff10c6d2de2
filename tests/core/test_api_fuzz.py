"""Fuzz every API operation with Schemathesis, as a superuser and as a read-only team member.

The schema is the one ``/api/schema/`` serves (``test_the_fuzzed_schema_is_the_served_one`` keeps them
equal); requests go through the WSGI application with token authentication, against a small world of a
few rows of every model. Every Schemathesis check is on (not_a_server_error, status_code_conformance,
content_type_conformance, response_schema_conformance, response_headers_conformance,
positive_data_acceptance, negative_data_rejection, ignored_auth, unsupported_method,
allow_header_conformance, missing_required_header, use_after_free, ensure_resource_availability,
object_level_authorization), in the examples, coverage and fuzzing phases, with valid and invalid data.

Reproducible: the seed is fixed (``FUZZ_SEED``) and generation is deterministic, so rerunning a failing
test id replays the same requests; each failure prints the request as a curl command. Explore beyond
the CI budget with e.g. ``FUZZ_SEED=7 FUZZ_MAX_EXAMPLES=200 pytest tests/core/test_api_fuzz.py``.

One failure kind is dropped on purpose: a schema-valid request refused with a 400 only because an id
it names does not exist, only by a rule between its fields (an end before the start, a release of
another product), or only because a name or slug it gives is taken (two products of the same name).
The schema cannot say which ids exist or which names are taken, nor relate two fields; the API checks
them (``portfolio.core.filters.IdFilter``, the models' ``clean()`` and unique fields). To reach real
rows anyway, valid requests mostly name ids that exist, in the path, the query and the body. The same
goes for an uploaded file refused for its content only (a feedback import whose file is no valid CSV of
feedback, its errors listed by line): a schema says a file is binary, not what it must hold. And a change
of a status report that an earlier request published (a published report is frozen): the world is shared.
"""

import os
import re

import pytest
import schemathesis
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.openapi.checks import RejectedPositiveData

from portfolio.core import roles
from portfolio.core.filters import MAX_ID, UNKNOWN_ID, IdFilter, IdsFilter
from portfolio.core.models import END_BEFORE_START, KeyResult
from portfolio.reports.models import AT_MOST_ONE_SCOPE, DAY_OF_MONTH_NEEDED, WEEKDAY_NEEDED, ReportSubscription
from portfolio.reports.services import OTHERS_ONLY_TO_WHAT_YOU_MANAGE
from products.api.views import READING_REFUSED
from products.models import (
    DATE_NEEDS_RELEASED,
    READING_IN_FUTURE,
    RELEASED_NEEDS_DATE,
    Competitor,
    MetricReading,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from products.services import INSIGHT_FEATURES_MESSAGE, OWNER_STAYS_EDITOR
from programs.api.serializers import PROGRAM_NOT_IN_PORTFOLIO
from programs.models import Program, Project
from programs.selectors import TOO_MANY_WEEKS
from programs.services import (
    ALIGNMENT_TAKEN,
    DEPENDENCY_CYCLE,
    DEPENDENCY_SELF,
    DEPENDENCY_TAKEN,
    FROZEN_MESSAGE,
    PROJECT_CLOSED,
    RESOURCE_INACTIVE,
)
from risks.models import ONE_SCOPE_MESSAGE
from risks.services import ALREADY_CLOSED, ALREADY_OCCURRED, NOT_CLOSED_OR_OCCURRED, REOPEN_FIRST
from tests.core.factories import KeyResultFactory, ObjectiveFactory, UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    FeedbackFactory,
    MarketInsightFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    ThemeFactory,
    link_feedback,
)
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    DependencyFactory,
    MilestoneFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
    ResourceRequestFactory,
    StatusReportFactory,
)
from tests.reports.factories import ReportSubscriptionFactory, StakeholderReportFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("FUZZ_SEED", "20261201"))
# Per operation and role, in the fuzzing phase; the examples and coverage phases add their own cases.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
# Ids of the world's rows per model, read once (the world does not change while the module runs).
EXISTING_IDS: dict[type, list[int]] = {}
UNKNOWN_ID_MESSAGE = re.compile(re.escape(UNKNOWN_ID).replace(r"%\(model\)s", ".+").replace(r"%\(value\)s", r"\d+"))
# Rules between fields, which a schema cannot state (``clean()`` of the models).
CROSS_FIELD_MESSAGE = re.compile(rf"{re.escape(END_BEFORE_START)}|The (release|theme) belongs to another product\.")
# A name or address another row already has (a product's): the schema cannot say which are taken.
TAKEN_MESSAGE = re.compile(r"\w[\w ]* with this [\w ]+ already exists\.")
# Rules between fields, or between a body and the rows stored, which a schema cannot state (``clean()`` of the
# models, their unique constraints, the services' rules about a product's owner).
CROSS_FIELD_MESSAGE = re.compile(
    "|".join(
        [
            re.escape(END_BEFORE_START),
            r"The (release|theme) belongs to another product\.",
            *(
                re.escape(message)
                for message in (
                    RELEASED_NEEDS_DATE,
                    DATE_NEEDS_RELEASED,
                    OWNER_STAYS_EDITOR,
                    ProductMember._meta.constraints[0].violation_error_message,
                    Theme._meta.constraints[0].violation_error_message,
                    Release._meta.constraints[0].violation_error_message,
                    Competitor._meta.constraints[0].violation_error_message,
                    ProductMetric._meta.constraints[0].violation_error_message,
                    MetricReading._meta.constraints[0].violation_error_message,
                    READING_REFUSED,  # a reading on a KPI the user may not add to: the body's choice of KPI
                    READING_IN_FUTURE,  # a date after today: the schema has no "today"
                    KeyResult._meta.constraints[0].violation_error_message,  # a target equal to the start
                    "An objective cannot be its own parent.",
                    PROGRAM_NOT_IN_PORTFOLIO,  # the ranking's program and portfolio disagree
                )
            ),
            # Portfolios, programs and projects: a name taken in the parent, links to another product's features,
            # a parent or holder the user may not choose (the schema cannot tell which).
            re.escape(Program._meta.constraints[0].violation_error_message),
            re.escape(Project._meta.constraints[0].violation_error_message),
            r"Links stay inside one product: .+",
            r"You may not add or move anything to this \w+\.",
            r"Only the current \w+ or whoever they answer to may hand this \w+ over\.",
            r"Whoever creates a portfolio owns it; an administrator may name another\.",
            # An insight linked to a feature the schema cannot tell is of another product.
            r"Only the current owner or whoever they answer to may hand this strategic objective over\.",
            re.escape(INSIGHT_FEATURES_MESSAGE)
            .replace(re.escape("{names}"), ".+")
            .replace(re.escape("{verb}"), r"\w+"),
            # Delivery: a dependency on itself, twice, or closing a cycle of "blocks"; an alignment made twice.
            *(re.escape(message) for message in (DEPENDENCY_SELF, DEPENDENCY_TAKEN, ALIGNMENT_TAKEN)),
            re.escape(DEPENDENCY_CYCLE).replace(re.escape("{path}"), ".+"),
            # Capacity: an inactive person or a closed project named by id; a heat map period over 104 weeks.
            re.escape(RESOURCE_INACTIVE).replace(re.escape("{name}"), ".+"),
            re.escape(PROJECT_CLOSED).replace(re.escape("{status}"), r"\w+"),
            re.escape(TOO_MANY_WEEKS),
            # Risks: exactly one of project, program and product (a rule between three fields); closing, reopening
            # or marking occurred a risk whose status an earlier request of the fuzz changed.
            *(re.escape(message) for message in (ONE_SCOPE_MESSAGE, ALREADY_CLOSED, NOT_CLOSED_OR_OCCURRED)),
            re.escape(ALREADY_OCCURRED),
            re.escape(REOPEN_FIRST),
            # Report subscriptions: one scope at most, the day field of the frequency chosen, a constraint that says
            # both; another recipient or a scope the user may not subscribe others to (the schema cannot tell).
            *(re.escape(message) for message in (AT_MOST_ONE_SCOPE, WEEKDAY_NEEDED, DAY_OF_MONTH_NEEDED)),
            re.escape(ReportSubscription._meta.constraints[-1].violation_error_message),
            re.escape(OTHERS_ONLY_TO_WHAT_YOU_MANAGE),
        ]
    )
)


def build_world(users) -> None:
    """A few linked rows of every model the API serves."""
    objectives = ObjectiveFactory.create_batch(2)
    child = ObjectiveFactory(parent=objectives[0])
    for objective in (*objectives, child):
        KeyResultFactory.create_batch(2, objective=objective)
    products = ProductFactory.create_batch(2)
    for product in products:
        product.objectives.add(objectives[0])
        ProductMemberFactory(product=product, function="engineering")
        theme = ThemeFactory(product=product)
        release = ReleaseFactory(product=product)
        features = [
            FeatureFactory(product=product, theme=theme, release=release, status="planned", horizon="now"),
            FeatureFactory(product=product, status="idea", horizon="later"),
        ]
        features[0].objectives.add(*objectives)
        feedback = FeedbackFactory(product=product, sentiment="negative", importance="critical")
        link_feedback(feedback, features[0])
        FeedbackFactory(product=product)
        CompetitorFactory(product=product, website="https://example.com")
        MarketInsightFactory(product=product).features.add(features[1])
        MetricReadingFactory.create_batch(2, metric=ProductMetricFactory(product=product))
    program = ProgramFactory()
    projects = [
        ProjectFactory(program=program, product=products[0]),
        ProjectFactory(program=program, health_override="red"),
    ]
    projects[0].features.add(*products[0].features.all())
    ProjectObjectiveFactory(project=projects[0], objective=objectives[0])
    MilestoneFactory(project=projects[0])
    MilestoneFactory(project=projects[1], is_key=True)
    DependencyFactory(from_project=projects[0], to_project=projects[1])
    resource = ResourceFactory(user=users[0])
    for project in projects:
        AllocationFactory(resource=resource, project=project)
        CostEntryFactory(project=project)
        StatusReportFactory(project=project)
        MitigationActionFactory(risk=RiskFactory(project=project))
    ResourceRequestFactory(product=products[0], project=projects[0], resource=resource)
    RiskFactory(project=None, product=products[1], probability=5, impact=5)
    for user in users:
        ReportSubscriptionFactory(recipient=user)
        ReportSubscriptionFactory(recipient=user, frequency="monthly", weekday=None, day_of_month=1, program=program)
    StakeholderReportFactory()
    StakeholderReportFactory(product=products[0])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world and one token per role, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        root = UserFactory(username="fuzz-root", is_superuser=True, is_staff=True)
        member = UserFactory(username="fuzz-member", roles=[roles.TEAM_MEMBERS], function="engineering")
        build_world([root, member])
        tokens = {"superuser": Token.objects.create(user=root).key, "member": Token.objects.create(user=member).key}
        yield tokens
        transaction.set_rollback(True)
    EXISTING_IDS.clear()


@pytest.fixture(params=["superuser", "member"])
def auth_headers(request, world, db):
    return {"Authorization": f"Token {world[request.param]}"}


class Application:
    """The WSGI application, built for each test so it reads the test's settings (no HTTPS redirect)."""

    handler = None

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)


APPLICATION = Application()


@pytest.fixture(autouse=True)
def own_throttle_counts(monkeypatch):
    """Count the token endpoint's requests apart, so the fuzzer's do not throttle other tests sharing Redis."""
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache("api-fuzz-throttle", {}))


@pytest.fixture(autouse=True)
def application(db):
    # As Django's test client does: a request must not close the connection holding the test transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    APPLICATION.handler = WSGIHandler()
    yield APPLICATION
    APPLICATION.handler = None
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def generated_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = APPLICATION
schema.config.seed = SEED
# No example database: a run depends on the seed and the code only, never on what an earlier run found.
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


# --- steering and judging --------------------------------------------------------------------------


def id_parameters(operation) -> dict[str, type]:
    """The model behind each id in the operation's path and query: ``{"id": Product, "owner": User, …}``."""
    cached = getattr(operation, "_fuzz_id_parameters", None)
    if cached is None:
        view = resolve(operation.path.replace("{id}", "1")).func.cls
        cached = {}
        if "{id}" in operation.path:
            # A collection's model is its filter set's; a view of one object (a dashboard, a trace) names its queryset.
            filterset = getattr(view, "filterset_class", None)
            cached["id"] = filterset._meta.model if filterset else view.queryset.model
        elif getattr(view, "filterset_class", None):
            for name, filter_ in view.filterset_class.base_filters.items():
                if isinstance(filter_, (IdFilter, IdsFilter)):
                    cached[name] = filter_.queryset.model
        operation._fuzz_id_parameters = cached
    return cached


def body_id_fields(operation) -> dict[str, type]:
    """The model behind each id in the request body: a body field named like an id filter of its list."""
    cached = getattr(operation, "_fuzz_body_id_fields", None)
    if cached is None:
        view = resolve(operation.path.replace("{id}", "1")).func.cls
        filterset = getattr(view, "filterset_class", None)
        cached = {
            name: filter_.queryset.model
            for name, filter_ in (filterset.base_filters.items() if filterset else ())
            if isinstance(filter_, (IdFilter, IdsFilter))
        }
        operation._fuzz_body_id_fields = cached
    return cached


def existing(model, drawn: int) -> int:
    """An existing row's id picked by the drawn one, so Hypothesis still drives (and shrinks) the choice."""
    if model not in EXISTING_IDS:
        EXISTING_IDS[model] = sorted(model.objects.values_list("pk", flat=True))
    ids = EXISTING_IDS[model]
    return ids[drawn % len(ids)] if ids else drawn


def steered(value, model):
    if isinstance(value, list):
        return [steered(item, model) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID and value % 5:
        return existing(model, value)
    return value  # malformed ids stay as drawn; so does one valid id in five (an unknown id, mostly)


@schema.hook
def map_case(context, case):
    """Point valid requests at rows that exist, so detail and filtered responses carry real data."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    for name, model in id_parameters(case.operation).items():
        if name == "id" and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = steered(case.path_parameters["id"], model)
        elif isinstance(case.query, dict) and name in case.query:
            case.query[name] = steered(case.query[name], model)
    # Not the coverage phase's bodies: they are made while collecting, before the database may be read.
    if isinstance(case.body, dict) and case.meta.phase.name != "coverage":
        for name, model in body_id_fields(case.operation).items():
            if name in case.body:
                case.body[name] = steered(case.body[name], model)
    return case


def refused_only_for_unknown_ids(response) -> bool:
    if response.status_code != 400:
        return False
    errors = response.json().get("errors") or {}
    messages = [message for field_messages in errors.values() for message in field_messages]
    return bool(messages) and all(
        UNKNOWN_ID_MESSAGE.fullmatch(message)
        or CROSS_FIELD_MESSAGE.fullmatch(message)
        or TAKEN_MESSAGE.fullmatch(message)
        for message in messages
    )


def refused_for_a_frozen_object(response) -> bool:
    """A change of a published status report, frozen by an earlier request of the fuzz (the schema cannot tell)."""
    return response.status_code == 400 and response.json().get("detail") == FROZEN_MESSAGE


def refused_only_for_the_file_s_content(response) -> bool:
    """A feedback import's file refused for what it holds: its errors by line (``lines``), nothing else at fault."""
    if response.status_code != 400:
        return False
    body = response.json()
    return "lines" in body and set(body.get("errors") or {}) == {"file"}


@schema.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a valid request refused for an id that does not exist, a rule between fields or
    the content of an uploaded file."""
    refused_for_data = (
        refused_only_for_unknown_ids(response)
        or refused_only_for_the_file_s_content(response)
        or refused_for_a_frozen_object(response)
    )
    return not (isinstance(failure, RejectedPositiveData) and refused_for_data)


# --- the tests ------------------------------------------------------------------------------------


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api(case, auth_headers, request):
    try:
        case.call_and_validate(headers=auth_headers)
    except BaseException:  # a FailureGroup is a BaseExceptionGroup, not an Exception
        if not hasattr(request.node, "replay_hint"):  # once, though Hypothesis fails the test again as it shrinks
            request.node.replay_hint = (
                f"FUZZ_SEED={SEED} FUZZ_MAX_EXAMPLES={MAX_EXAMPLES} .venv/bin/python -m pytest '{request.node.nodeid}'"
            )
            request.node.add_report_section("call", "replay with", request.node.replay_hint)
        raise


def test_the_fuzzed_schema_is_the_served_one(api_as, member):
    response = api_as(member).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json() == generated_schema()
