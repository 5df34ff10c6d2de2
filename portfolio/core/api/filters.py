from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` that ends on the primary key, so pages never repeat or skip rows that tie.

    A view may set ``ordering_aliases`` to sort a public field by another expression, e.g.
    ``{"severity": "score"}`` where the band follows the score.
    """

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
