"""The API's one error shape, for every kind of failure a view can raise."""

import pytest
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from portfolio.core.api.exceptions import exception_handler
from portfolio.core.exceptions import ApplicationError, Conflict


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_django_validation_error_becomes_400_with_field_errors():
    status, body = handle(DjangoValidationError({"effort": ["Effort must be more than zero."], "__all__": ["Bad."]}))
    assert status == 400
    assert body == {
        "detail": "Invalid input.",
        "errors": {"effort": ["Effort must be more than zero."], "non_field_errors": ["Bad."]},
    }


def test_drf_validation_error_with_nested_fields_is_flattened():
    status, body = handle(exceptions.ValidationError({"title": ["Required."], "links": [{"url": ["Bad URL."]}]}))
    assert status == 400
    assert body["errors"] == {"title": ["Required."], "links.0.url": ["Bad URL."]}


def test_conflict_is_409_with_the_current_version():
    status, body = handle(Conflict("Changed by someone else.", extra={"current_version": 3}))
    assert status == 409
    assert body == {"detail": "Changed by someone else.", "errors": {}, "current_version": 3}


def test_application_error_is_400_with_its_message():
    assert handle(ApplicationError("Only pending requests can be approved.")) == (
        400,
        {"detail": "Only pending requests can be approved.", "errors": {}},
    )


@pytest.mark.parametrize(
    ("exc", "status"),
    [(Http404(), 404), (PermissionDenied(), 403), (exceptions.NotAuthenticated(), 401)],
)
def test_other_errors_keep_their_status_in_the_same_shape(exc, status):
    code, body = handle(exc)
    assert code == status
    assert set(body) == {"detail", "errors"} and body["errors"] == {}


def test_a_body_over_the_upload_limit_is_413_saying_the_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    assert handle(RequestDataTooBig("too big")) == (
        413,
        {"detail": "The request body is larger than 1000 bytes.", "errors": {}},
    )


def test_too_many_form_fields_is_400_in_the_same_shape():
    status, body = handle(TooManyFieldsSent("The number of GET/POST parameters exceeded 1000."))
    assert status == 400
    assert body == {"detail": "The number of GET/POST parameters exceeded 1000.", "errors": {}}
