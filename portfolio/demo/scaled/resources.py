"""The benchmark organisation's resources, their allocations to projects and the open requests for more."""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from portfolio.demo.scaled.base import BuilderBase
from portfolio.demo.scaled.shapes import ANCHOR, ANCHOR_TIME
from portfolio.demo.scaled.vocabulary import MEMBER_FUNCTIONS
from programs.models import Allocation, Resource, ResourceRequest


class ResourcesBuilder(BuilderBase):
    def resources(self) -> None:
        shape, rng = self.shape, self.rng("resources")
        base = self.load.first_pk(Resource)
        resource_users = self.member_ids[: shape.resources]
        resource_ids = [base + i for i in range(len(resource_users))]
        rows = [
            (pk, self.user_names[user], user, self.user_functions[user], Decimal(rng.choice((40, 40, 40, 32, 24))),
             Decimal(rng.randrange(40, 160)), rng.random() < 0.97)
            for pk, user in zip(resource_ids, resource_users, strict=True)
        ]  # fmt: skip
        columns = ("id", "name", "user_id", "function", "capacity_hours", "cost_rate", "active")
        self.load.write(Resource, columns, rows)

        project_ids = list(self.project_info)
        slots = max(1, shape.allocations_per_resource // 2)
        window_start = ANCHOR - dt.timedelta(days=300)
        slot_days = 600 // slots

        def allocations() -> Iterator[tuple]:
            pk = self.load.first_pk(Allocation)
            for resource in resource_ids:
                for k in range(shape.allocations_per_resource):
                    start = window_start + dt.timedelta(days=(k % slots) * slot_days + rng.randrange(0, 7))
                    end = start + dt.timedelta(days=slot_days - rng.randrange(1, 7))
                    percent = rng.choice((10, 20, 25, 30, 40, 50, 50, 60, 80))
                    yield (pk, resource, rng.choice(project_ids), percent, start, end, "")
                    pk += 1

        columns = ("id", "resource_id", "project_id", "percent", "start_date", "end_date", "note")
        self.load.write(Allocation, columns, allocations(), fast=True)

        base = self.load.first_pk(ResourceRequest)
        rows = []
        with_product = [(pk, info) for pk, info in self.project_info.items() if info[0] is not None]
        for pk, (product, start, end, _, manager) in with_product[: len(self.project_info) // 4]:
            status = rng.choice(("pending", "pending", "pending", "pending", "rejected", "cancelled"))
            decided = status == "rejected"
            closed = status in ("rejected", "cancelled")  # a cancelled request keeps when, not who
            rows.append(
                (
                    base + len(rows),
                    product,
                    pk,
                    self.product_owner[product],
                    rng.choice(MEMBER_FUNCTIONS),
                    rng.choice((20, 50, 100)),
                    max(start, ANCHOR),
                    max(end, ANCHOR),
                    "Needed to deliver the roadmap items of the quarter.",
                    status,
                    manager if decided else None,
                    ANCHOR_TIME - dt.timedelta(days=rng.randrange(1, 30)) if closed else None,
                    "No capacity this quarter." if decided else "",
                )
            )
        columns = (
            "id", "product_id", "project_id", "requested_by_id", "function", "percent", "start_date", "end_date",
            "justification", "status", "decided_by_id", "decided_at", "decision_note",
        )  # fmt: skip
        self.load.write(ResourceRequest, columns, rows)
