"""Helpers for the API tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def result_ids(response) -> list[int]:
    """The ids of a successful list response's page, in order."""
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def queries_for(client, url: str) -> tuple[int, dict]:
    """GET ``url``; return how many SQL queries it took and the response body."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()
