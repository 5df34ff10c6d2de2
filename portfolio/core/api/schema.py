"""The OpenAPI schema: every operation documents the errors it can answer, in the API's one error shape.

``AutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``) adds to each operation what the project's
machinery answers, so the schema stays true as endpoints are added:

=====  ==========================================================================================
400    the operation takes query parameters or a body (filters, paging, ordering, fields)
401    it requires authentication (with ``WWW-Authenticate``)
403    it requires authentication: signed in but refused by the rules (or a session without CSRF)
404    a detail route (an unknown or malformed id), or a paginated list (a page past the last one)
409    it writes a body that carries ``version`` (optimistic locking), with ``ConflictResponse``
413    it takes a body (larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``)
415    it takes a body (in a content type it does not parse)
429    the view is throttled (with ``Retry-After``)
=====  ==========================================================================================

A response an endpoint documents itself (``@extend_schema(responses=…)``) is kept; given without a
body, it gets the error shape.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_media_type_object
from rest_framework import serializers

from portfolio.core.api.fields import NO_NUL, VersionField
from portfolio.core.filters import MAX_ID, IdFilter, IdsFilter

WRITE_METHODS = {"POST", "PUT", "PATCH"}


class ErrorResponseSerializer(serializers.Serializer):
    """The API's one error shape (``portfolio.core.api.exceptions``)."""

    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=(
            'Messages per field ("non_field_errors" for the request as a whole); empty when no field is at fault.'
        ),
    )


class ConflictResponseSerializer(ErrorResponseSerializer):
    """A stale ``version``: the object changed since the client read it."""

    current_version = serializers.IntegerField(required=False, help_text="The version the object has now.")
    current = serializers.DictField(
        required=False, help_text="The object as it is now, as a read of it answers (where the API gives it)."
    )


ERRORS = {
    "400": "Invalid input: the parameter or field at fault is named in errors.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or a page past the last one.",
    "409": "Changed by someone else since it was read: reload and apply the change again.",
    "413": "The request body is too large.",
    "415": "The request body is in a content type this operation does not take.",
    "429": "Too many requests: try again after Retry-After seconds.",
}
HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "schema": {"type": "string"},
            "required": True,
            "description": "How to authenticate: Token.",
        }
    },
    "429": {
        "Retry-After": {
            "schema": {"type": "integer"},
            "required": True,
            "description": "Seconds to wait before trying again.",
        }
    },
}


class AutoSchema(openapi.AutoSchema):
    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        for parameter in parameters:
            # The FilterSets (and ``?ordering=``) read an empty value as "not given", as a page's form sends it.
            parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
                # Text never holds NUL: Django's form fields refuse it (PostgreSQL could not compare it).
                schema["pattern"] = NO_NUL
            filter_ = filterset.base_filters.get(parameter["name"]) if filterset else None
            if isinstance(filter_, (IdFilter, IdsFilter)):
                parameter["description"] = self._id_filter_description(parameter["name"], filter_)
        return parameters

    @staticmethod
    def _id_filter_description(name: str, filter_) -> str:
        opts = filter_.queryset.model._meta
        if isinstance(filter_, IdsFilter):
            text = (
                f"ids of {opts.verbose_name_plural}, repeated (?{name}=1&{name}=2) or comma-separated (1,2); "
                "rows matching any. An unknown or malformed id is a 400."
            )
        else:
            text = f"the id of a {opts.verbose_name}. An unknown or malformed id is a 400."
        return f"{filter_.label}: {text}" if filter_.label else text[0].upper() + text[1:]

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A PATCH's fields are all optional, but a versioned write needs its version in a PATCH too (VersionField).
        version = getattr(serializer, "fields", {}).get("version")
        if direction == "request" and isinstance(version, VersionField) and not version.read_only:
            required = schema.setdefault("required", [])
            if "version" not in required:
                required.append("version")
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] in self._lookup_names():
                self._document_id_parameter(parameter)
        responses = operation["responses"]
        for code in self.error_codes(operation):
            documented = responses.setdefault(code, {"description": ERRORS[code]})
            documented["description"] = documented.get("description") or ERRORS[code]
            documented.setdefault("content", self._error_content(code))
            if code in HEADERS:
                documented.setdefault("headers", {}).update(HEADERS[code])
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation: dict) -> list[str]:
        """The error statuses this operation can answer (see the module docstring)."""
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        has_body = "requestBody" in operation
        security = operation.get("security", [])
        authenticated = bool(security) and {} not in security
        codes = []
        if has_query or has_body:
            codes.append("400")
        if authenticated:
            codes += ["401", "403"]
        if "{" in self.path or self._is_paginated_list():
            codes.append("404")
        if has_body and self._writes_version():
            codes.append("409")
        if has_body:
            codes += ["413", "415"]
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        return codes

    def _lookup_names(self) -> set[str]:
        lookup = getattr(self.view, "lookup_url_kwarg", None) or getattr(self.view, "lookup_field", None)
        # drf-spectacular publishes ``pk`` as ``id`` (SCHEMA_COERCE_PATH_PK).
        return {lookup, "id"} if lookup == "pk" else {lookup}

    def _document_id_parameter(self, parameter: dict) -> None:
        # The URL takes any segment (so a malformed id gets the API's 404, see ReadOnlyModelViewSet),
        # which drf-spectacular would publish as a string pattern; the id itself is what is documented.
        model = getattr(getattr(self.view, "queryset", None), "model", None) or self._view_model()
        name = model._meta.verbose_name if model else "object"
        parameter["schema"] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        parameter["description"] = f"The id of the {name}; any other value is a 404."

    def _view_model(self):
        try:
            return self.view.get_queryset().model
        except Exception:  # noqa: BLE001 -- a view that cannot build its queryset without a request
            return None

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None

    def _writes_version(self) -> bool:
        if self.method not in WRITE_METHODS:
            return False
        serializer = self.get_request_serializer()
        fields = getattr(serializer, "fields", None) if isinstance(serializer, serializers.BaseSerializer) else None
        if fields is None and isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            fields = serializer().fields
        return bool(fields) and "version" in fields and not fields["version"].read_only

    def _error_content(self, code: str) -> dict:
        serializer = ConflictResponseSerializer if code == "409" else ErrorResponseSerializer
        ref = self.resolve_serializer(serializer, "response").ref
        return {media_type: build_media_type_object(ref) for media_type in self.map_renderers("media_type")}
