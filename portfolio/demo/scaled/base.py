"""What every step of the benchmark builder shares: shape, loader, a random stream per table, the ids so far."""

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from portfolio.demo.scaled.loader import Loader
from portfolio.demo.scaled.shapes import Shape


class BuilderBase:
    """The state the steps share. Each step assigns its rows' ids and keeps those the later steps point to."""

    # Kept by the steps as they go (see the step that names them), for the foreign keys of later steps.
    admin_id: int  # people
    user_names: dict[int, str]
    user_functions: dict[int, str]
    pm_ids: list[int]
    pgm_ids: list[int]
    lead_ids: list[int]
    member_ids: list[int]
    objective_ids: list[int]
    product_ids: list[int]  # products
    product_owner: dict[int, int]
    product_members: dict[int, list[int]]
    theme_ids: dict[int, list[int]]
    releases: dict[int, list[tuple[int, dt.date]]]
    feature_range: dict[int, tuple[int, int]]
    portfolio_ids: list[int]  # programs
    program_ids: list[int]
    program_manager: dict[int, int]
    project_info: dict[int, tuple[int | None, dt.date, dt.date, str, int]]

    def __init__(self, shape: Shape, seed: int, loader: Loader, password: str):
        self.shape = shape
        self.seed = seed
        self.load = loader
        self.password = password

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder), summing exactly."""
    scale = total / sum(weights)
    raw = [weight * scale for weight in weights]
    parts = [int(value) for value in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def quarter_end(date: dt.date, offset: int) -> dt.date:
    index = date.year * 4 + (date.month - 1) // 3 + offset
    year, quarter = divmod(index, 4)
    if quarter == 3:
        return dt.date(year, 12, 31)
    return dt.date(year, quarter * 3 + 4, 1) - dt.timedelta(days=1)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 100)
