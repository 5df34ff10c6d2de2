import re

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination as DRFPageNumberPagination

from portfolio.core.paginator import COUNT_CAP, CappedPaginator

_DIGITS = re.compile(r"[0-9]+")


class PageNumberPagination(DRFPageNumberPagination):
    """``?page=`` and ``?page_size=`` (1 to 200) on every list.

    A malformed value is a 400 naming the parameter, not silently the default (DRF's behaviour for
    ``page_size``) nor a 404 (DRF's for ``page``): a client asking for 500 rows learns it gets at most
    200. A well-formed page past the last one is a 404, as in DRF.
    """

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # ``?page=last`` would contradict the documented integer

    def get_page_size(self, request) -> int:
        return self._number(request, self.page_size_query_param, self.max_page_size, default=self.page_size)

    def get_page_number(self, request, paginator) -> int:
        return self._number(request, self.page_query_param, None, default=1)

    @staticmethod
    def _number(request, name: str, maximum: int | None, *, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        number = int(raw) if _DIGITS.fullmatch(raw) else 0
        if number < 1 or (maximum is not None and number > maximum):
            message = f"Enter a whole number from 1 to {maximum}." if maximum else "Enter a whole number from 1."
            raise exceptions.ValidationError({name: [message]})
        return number

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1. A page past the last one is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, from 1 to {self.max_page_size} (default {self.page_size}); "
                    "any other value is a 400."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class CappedCountPagination(PageNumberPagination):
    """Pages of a collection too big to count (feedback): ``count`` stops at 500, ``count_is_exact`` says so.

    See ``portfolio.core.paginator.CappedPaginator``: pages past the counted rows still work, and ``next`` is
    set while another page follows.
    """

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_is_exact"] = self.page.paginator.count_is_exact
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            f"How many rows match, counted up to {COUNT_CAP:,}; see `count_is_exact`."
        )
        answer["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": f"False when more than {COUNT_CAP:,} rows match (`count` is then {COUNT_CAP:,}).",
        }
        answer["required"] = [*answer.get("required", []), "count_is_exact"]
        return answer
