from rest_framework import exceptions, viewsets

from portfolio.core.filters import parse_id


class MalformedIdIs404:
    """An id in the URL that is not a valid id (``abc``, ``1.5``, past 64 bits) is a 404.

    Without the check the database is asked for an id it cannot hold and fails (an OverflowError on
    SQLite, a DataError on PostgreSQL). The URL takes any segment, dots included, so every malformed id
    reaches this check and gets the API's 404 rather than Django's HTML page.
    """

    lookup_value_regex = "[^/]+"

    def get_object(self):
        lookup = self.lookup_url_kwarg or self.lookup_field
        if parse_id(self.kwargs[lookup]) is None:
            raise exceptions.NotFound()
        return super().get_object()


class ReadOnlyModelViewSet(MalformedIdIs404, viewsets.ReadOnlyModelViewSet):
    """The read API's viewset (see ``MalformedIdIs404``)."""


class ModelViewSet(MalformedIdIs404, viewsets.ModelViewSet):
    """The viewset of a collection with writes (see ``MalformedIdIs404``); its views call the app's services."""
