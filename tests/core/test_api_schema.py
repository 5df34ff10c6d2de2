"""The OpenAPI schema documents every error an operation can answer, in the one error shape."""

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.core.filters import MAX_ID

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
CONFLICT = {"application/json": {"schema": {"$ref": "#/components/schemas/ConflictResponse"}}}
TOKEN = ("/api/v1/auth/token/", "post")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for route, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield route, method, operation


def operation_ids(keep=lambda route, method, operation: True):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [f"{method.upper()} {route}" for route, method, spec in operations(schema) if keep(route, method, spec)]


def is_detail(route, method, operation):
    return "{id}" in route


def is_list(route, method, operation):
    return any(parameter["name"] == "page" for parameter in operation.get("parameters", []))


def is_authenticated(route, method, operation):
    return (route, method) != TOKEN


@pytest.fixture
def operation(request, schema):
    method, route = request.param.split(" ")
    return route, method.lower(), schema["paths"][route][method.lower()]


def test_the_error_shape_is_one_shared_component(schema):
    error = schema["components"]["schemas"]["ErrorResponse"]

    assert error["required"] == ["detail", "errors"]
    assert error["properties"]["detail"]["type"] == "string"
    assert error["properties"]["errors"] == {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "description": error["properties"]["errors"]["description"],
    }


@pytest.mark.parametrize("operation", operation_ids(), indirect=True)
def test_every_operation_documents_its_errors_in_the_error_shape(operation):
    route, method, spec = operation
    responses = spec["responses"]
    errors = {code: response for code, response in responses.items() if code >= "400"}

    assert errors, f"{method} {route} documents no error"
    for code, response in errors.items():
        assert response["description"], (route, code)
        assert response["content"] == (CONFLICT if code == "409" else ERROR), (route, code)


@pytest.mark.parametrize("operation", operation_ids(is_authenticated), indirect=True)
def test_every_authenticated_operation_documents_401_with_www_authenticate_and_403(operation):
    _route, _method, spec = operation

    assert spec["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    assert spec["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True
    assert "403" in spec["responses"]


@pytest.mark.parametrize("operation", operation_ids(is_detail), indirect=True)
def test_every_detail_route_documents_404_for_an_id_from_1_to_64_bits(operation):
    _route, _method, spec = operation

    [parameter] = [parameter for parameter in spec["parameters"] if parameter["in"] == "path"]
    assert parameter["schema"] == {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
    assert "404" in spec["responses"]
    if "requestBody" not in spec:
        assert "400" not in spec["responses"]  # nothing but the id to get wrong, and a wrong id is a 404


def test_a_write_that_carries_a_version_documents_409_with_the_current_state(schema):
    for route, method in [
        ("/api/v1/features/{id}/", "put"),
        ("/api/v1/features/{id}/", "patch"),
        ("/api/v1/features/{id}/move/", "post"),
    ]:
        spec = schema["paths"][route][method]
        assert spec["responses"]["409"]["content"] == CONFLICT, (route, method)
    conflict = schema["components"]["schemas"]["ConflictResponse"]["properties"]
    assert {"current_version", "current"} <= set(conflict)
    assert "409" not in schema["paths"]["/api/v1/features/"]["post"]["responses"]  # a new feature has no version


def test_a_patch_still_requires_the_version(schema):
    assert "version" in schema["components"]["schemas"]["PatchedFeatureUpdateRequest"]["required"]


@pytest.mark.parametrize("operation", operation_ids(is_list), indirect=True)
def test_every_list_documents_400_for_its_parameters_and_404_for_a_page_past_the_last(operation):
    _route, _method, spec = operation
    names = {parameter["name"] for parameter in spec["parameters"] if parameter["in"] == "query"}

    assert {"400", "404"} <= set(spec["responses"])
    assert {"ordering", "page", "page_size"} <= names


def test_page_and_page_size_say_their_bounds(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}

    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "200" in parameters["page_size"]["description"] and "400" in parameters["page_size"]["description"]


def test_ordering_lists_every_field_both_ways_comma_separated(schema):
    [ordering] = [p for p in schema["paths"]["/api/v1/risks/"]["get"]["parameters"] if p["name"] == "ordering"]

    assert ordering["style"] == "form" and ordering["explode"] is False
    assert {"score", "-score", "severity", "-severity", "id", "-id"} <= set(ordering["schema"]["items"]["enum"])


def test_id_filters_say_they_take_ids_from_1_to_64_bits(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/projects/"]["get"]["parameters"]}
    id_schema = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}

    assert parameters["program"]["schema"] == id_schema
    assert parameters["objectives"]["schema"] == {"type": "array", "items": id_schema}


def test_the_token_endpoint_takes_no_authentication_and_documents_its_body_errors(schema):
    spec = schema["paths"]["/api/v1/auth/token/"]["post"]

    assert "security" not in spec
    assert {"200", "400", "413", "415", "429"} == set(spec["responses"])
    assert spec["responses"]["429"]["headers"]["Retry-After"]["required"] is True


# --- the mechanism on a write endpoint (there is none yet besides the token) -----------------------


class VersionedThingSerializer(serializers.Serializer):
    title = serializers.CharField()
    version = serializers.IntegerField()


class VersionedThingView(APIView):
    """A stand-in for the write endpoints to come: an update that carries the version it read."""

    serializer_class = VersionedThingSerializer

    def patch(self, request, pk):
        return Response({})


def test_a_write_that_carries_a_version_documents_409_and_its_body_errors():
    generated = SchemaGenerator(patterns=[path("things/<int:pk>/", VersionedThingView.as_view())]).get_schema(
        request=None, public=True
    )

    responses = generated["paths"]["/things/{id}/"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "415"} <= set(responses)
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ConflictResponse"
    }
    conflict = generated["components"]["schemas"]["ConflictResponse"]
    assert {"detail", "errors", "current_version"} <= set(conflict["properties"])
