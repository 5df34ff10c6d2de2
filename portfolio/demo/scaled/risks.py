"""The benchmark organisation's risks, each on one project, program or product, and the actions on the open ones."""

import datetime as dt
from collections.abc import Iterator

from portfolio.demo.scaled.base import BuilderBase
from portfolio.demo.scaled.shapes import ANCHOR, ANCHOR_TIME
from portfolio.demo.scaled.vocabulary import OBJECTS, RISK_OPENERS
from risks.models import MitigationAction, Risk


class RisksBuilder(BuilderBase):
    def risks(self) -> None:
        shape, rng = self.shape, self.rng("risks")
        project_ids = list(self.project_info)
        owners = self.pm_ids + self.pgm_ids
        base = self.load.first_pk(Risk)
        kinds, categories, responses = list(Risk.Kind), list(Risk.Category), list(Risk.Response)
        plans: list[tuple[int, str, dt.date | None]] = []

        def rows() -> Iterator[tuple]:
            for i in range(shape.risks):
                pk = base + i
                roll = rng.random()
                project = rng.choice(project_ids) if roll < 0.7 else None
                program = rng.choice(self.program_ids) if 0.7 <= roll < 0.85 else None
                product = rng.choice(self.product_ids) if roll >= 0.85 else None
                probability, impact = rng.randint(1, 5), rng.randint(1, 5)
                status = rng.choice(("open", "open", "open", "mitigating", "mitigating", "closed", "occurred"))
                closed = (
                    ANCHOR_TIME - dt.timedelta(days=rng.randrange(1, 200)) if status in ("closed", "occurred") else None
                )
                residual = status == "mitigating"
                review = ANCHOR + dt.timedelta(days=rng.randrange(-30, 90)) if closed is None else None
                owner = rng.choice(owners)
                if status in ("open", "mitigating"):
                    plans.append((pk, owner, review))
                title = f"{rng.choice(RISK_OPENERS)} {rng.choice(OBJECTS)}"
                yield (
                    pk,
                    rng.choice(kinds),
                    title,
                    "Identified in the monthly risk review.",
                    rng.choice(categories),
                    project,
                    program,
                    product,
                    owner,
                    probability,
                    impact,
                    status,
                    rng.choice(responses),
                    "Two missed deadlines in a row.",
                    review,
                    rng.randint(1, probability) if residual else None,
                    rng.randint(1, impact) if residual else None,
                    closed,
                    "Closed in the monthly risk review." if status == "closed" else "",
                )

        columns = (
            "id", "kind", "title", "description", "category", "project_id", "program_id", "product_id", "owner_id",
            "probability", "impact", "status", "response", "trigger", "review_date", "residual_probability",
            "residual_impact", "closed_at", "closing_note",
        )  # fmt: skip
        self.load.write(Risk, columns, rows(), fast=True)

        action_base = self.load.first_pk(MitigationAction)
        actions = [
            (action_base + i, risk, "Agree a fallback plan with the team.", owner, review, None)
            for i, (risk, owner, review) in enumerate(plans)
        ]
        self.load.write(MitigationAction, ("id", "risk_id", "description", "owner_id", "due_date", "done_at"), actions)
