from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` that ends on the primary key, so pages never repeat or skip rows that tie.

    Terms are comma-separated field names, ``-`` in front for descending. An unknown term is a 400
    listing the choices (DRF ignores it silently, so a typo would sort by the default unnoticed).

    A view may set ``ordering_aliases`` to sort a public field by another expression, e.g.
    ``{"severity": "score"}`` where the band follows the score.
    """

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
        unknown = [term for term in fields if term.removeprefix("-") not in valid]
        if unknown:
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown ordering field: {', '.join(repr(term) for term in unknown)}. "
                        f"Choose from {', '.join(valid)}, with - in front to sort descending."
                    ]
                }
            )
        return fields

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            # Split only: a space or an empty term is an unknown field, as the schema's enum says.
            return self.remove_invalid_fields(queryset, params.split(","), view, request)
        return self.get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        aliases = getattr(view, "ordering_aliases", {})
        resolved = [
            ("-" if term.startswith("-") else "") + aliases.get(term.lstrip("-"), term.lstrip("-")) for term in ordering
        ]
        if not any(term.lstrip("-") in ("pk", "id") for term in resolved):
            resolved.append("pk")
        return queryset.order_by(*resolved)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        # Views list their ``ordering_fields``, so no queryset is needed to know them.
        fields = [item[0] for item in self.get_valid_fields(None, view)]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort by these fields, comma-separated, each with - in front for descending "
                    "(ties end on the id). An unknown field is a 400."
                ),
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [term for field in fields for term in (field, f"-{field}")]},
                },
                "style": "form",
                "explode": False,
            }
        ]
