"""A paginator for lists too big to count: it counts up to a cap, and pages on past it all the same."""

import math
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

COUNT_CAP = 500


class CappedPage(Page):
    """A page past the counted rows: whether a next one exists comes from one row read beyond it."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self) - 1 if len(self) else 0


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows (``count_is_exact`` says whether that was all), so a page costs the same at any size.

    An exact ``COUNT(*)`` of a million feedback items, or of every item matching a common word, reads them all
    (hundreds of milliseconds) to print one number; a person reads "500 or more" just as well. Below the cap it
    is Django's paginator; past it, pages still work: each reads its rows and one more, to know if another follows.
    """

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, counted: int | None = None, **kwargs):
        """``counted``: the rows already counted up to the cap + 1 by the caller (the inbox's view counts)."""
        super().__init__(object_list, per_page, *args, **kwargs)
        if counted is not None:
            self._counted = counted

    @cached_property
    def _counted(self) -> int:
        # Unordered, so the database may stop at the cap by the cheapest path (no sort, no ordered index walk).
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def count_is_exact(self) -> bool:
        return self._counted <= self.cap

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def num_pages(self) -> int:
        if self.count_is_exact:
            return super().num_pages
        return math.ceil(self.cap / self.per_page)

    def validate_number(self, number):
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if self.count_is_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
