"""The benchmark organisation's portfolios, programs and projects, with milestones, dependencies, costs and status."""

import datetime as dt

from portfolio.demo.scaled.base import BuilderBase, money
from portfolio.demo.scaled.shapes import (
    ANCHOR,
    COST_ENTRIES_PER_PROJECT,
    FEATURES_PER_PROJECT,
    MILESTONES_PER_PROJECT,
    STATUS_REPORTS_PER_ACTIVE_PROJECT,
)
from portfolio.demo.scaled.vocabulary import PORTFOLIO_AREAS, PROGRAM_WORDS, PROJECT_WORDS, WSJF_SCALE
from programs.models import (
    RAG,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    StatusReport,
)


class ProgramsBuilder(BuilderBase):
    def portfolios_and_programs(self) -> None:
        shape, rng = self.shape, self.rng("programs")
        base = self.load.first_pk(Portfolio)
        self.portfolio_ids = [base + i for i in range(shape.portfolios)]
        owners = self.lead_ids + self.pgm_ids
        rows = []
        for i, pk in enumerate(self.portfolio_ids):
            name = f"{PORTFOLIO_AREAS[i % len(PORTFOLIO_AREAS)]} {i // len(PORTFOLIO_AREAS) + 1}"
            rows.append(
                (pk, name, f"The {name} portfolio.", owners[i % len(owners)], ANCHOR.year, money(rng, 50_000, 200_000))
            )
        columns = ("id", "name", "description", "owner_id", "fiscal_year", "budget")
        self.load.write(Portfolio, columns, rows)

        base = self.load.first_pk(Program)
        self.program_ids = [base + i for i in range(shape.programs)]
        self.program_manager: dict[int, int] = {}
        rows = []
        for i, pk in enumerate(self.program_ids):
            manager = self.pgm_ids[i % len(self.pgm_ids)]
            self.program_manager[pk] = manager
            name = f"{PROGRAM_WORDS[i % len(PROGRAM_WORDS)]} programme {i + 1}"
            status = rng.choice(("active", "active", "active", "planned", "on-hold", "completed"))
            rows.append(
                (
                    pk,
                    self.portfolio_ids[i % len(self.portfolio_ids)],
                    name,
                    f"{name}.",
                    manager,
                    status,
                    money(rng, 5_000, 20_000),
                    dt.date(ANCHOR.year, 1, 1),
                    dt.date(ANCHOR.year + 1, 12, 31),
                )
            )
        columns = ("id", "portfolio_id", "name", "description", "manager_id", "status", "budget")
        self.load.write(Program, columns + ("start_date", "end_date"), rows)

        through = Program.objectives.through
        link_base = self.load.first_pk(through)
        links = []
        for pk in self.program_ids:
            for objective in rng.sample(self.objective_ids, min(2, len(self.objective_ids))):
                links.append((link_base + len(links), pk, objective))
        self.load.write(through, ("id", "program_id", "strategicobjective_id"), links)

    def projects(self) -> None:
        shape, rng = self.shape, self.rng("projects")
        base = self.load.first_pk(Project)
        # id -> (product or None, start, end, status, manager)
        self.project_info: dict[int, tuple[int | None, dt.date, dt.date, str, int]] = {}
        rows = []
        for i in range(shape.projects):
            pk = base + i
            program = self.program_ids[i % len(self.program_ids)]
            manager = self.program_manager[program] if rng.random() < 0.3 else rng.choice(self.pgm_ids)
            product = rng.choice(self.product_ids) if rng.random() < 0.8 else None
            start = ANCHOR - dt.timedelta(days=rng.randrange(-120, 420))
            end = start + dt.timedelta(days=rng.randrange(90, 540))
            if end < ANCHOR:
                status = rng.choice(("completed", "completed", "completed", "cancelled"))
            elif start > ANCHOR:
                status = rng.choice(("proposed", "approved"))
            else:
                status = rng.choice(("active", "active", "active", "active", "on-hold"))
            health = rng.choice(("", "", "", "", "", "", RAG.GREEN, RAG.AMBER, RAG.RED))
            self.project_info[pk] = (product, start, end, status, manager)
            rows.append(
                (
                    pk,
                    program,
                    f"{PROJECT_WORDS[i % len(PROJECT_WORDS)]} {i + 1}",
                    "A project of the portfolio.",
                    manager,
                    product,
                    status,
                    start,
                    end,
                    money(rng, 500, 20_000),
                    health,
                    rng.choice(WSJF_SCALE),
                    rng.choice(WSJF_SCALE),
                    rng.choice(WSJF_SCALE),
                    rng.choice(WSJF_SCALE),
                )
            )
        columns = (
            "id", "program_id", "name", "description", "manager_id", "product_id", "status", "start_date", "end_date",
            "budget", "health_override", "business_value", "time_criticality", "risk_reduction", "job_size",
        )  # fmt: skip
        self.load.write(Project, columns, rows)

    def project_details(self) -> None:
        rng = self.rng("project-details")
        base = self.load.first_pk(ProjectObjective)
        rows = []
        for pk in self.project_info:
            for objective in rng.sample(self.objective_ids, min(rng.randint(1, 3), len(self.objective_ids))):
                rows.append((base + len(rows), pk, objective, rng.randint(1, 3)))
        self.load.write(ProjectObjective, ("id", "project_id", "objective_id", "contribution"), rows)

        through = Project.features.through
        base = self.load.first_pk(through)
        rows = []
        for pk, (product, *_) in self.project_info.items():
            if product is not None:
                first, size = self.feature_range[product]
                for offset in sorted(rng.sample(range(size), min(FEATURES_PER_PROJECT, size))):
                    rows.append((base + len(rows), pk, first + offset))
        self.load.write(through, ("id", "project_id", "feature_id"), rows)

        base = self.load.first_pk(Milestone)
        rows = []
        for pk, (_, start, end, status, _) in self.project_info.items():
            step = (end - start) / MILESTONES_PER_PROJECT
            for k in range(MILESTONES_PER_PROJECT):
                due = start + step * (k + 1)
                done = None
                if due < ANCHOR and (status == "completed" or rng.random() < 0.85):
                    done = due + dt.timedelta(days=rng.randint(-5, 10))
                name = "Go-live" if k == MILESTONES_PER_PROJECT - 1 else f"Phase {k + 1} complete"
                rows.append((base + len(rows), pk, name, due, done, k == MILESTONES_PER_PROJECT - 1))
        self.load.write(Milestone, ("id", "project_id", "name", "due_date", "completed_on", "is_key"), rows)

        base = self.load.first_pk(Dependency)
        project_ids = list(self.project_info)
        pairs: set[tuple[int, int]] = set()
        rows = []
        while len(rows) < len(project_ids) // 2 and len(project_ids) > 1:
            a, b = sorted(rng.sample(project_ids, 2))
            if (a, b) not in pairs:  # earlier projects block later ones only, so "blocks" never cycles
                pairs.add((a, b))
                kind = "blocks" if rng.random() < 0.6 else "relates"
                rows.append((base + len(rows), a, b, kind, ""))
        self.load.write(Dependency, ("id", "from_project_id", "to_project_id", "kind", "note"), rows)

        base = self.load.first_pk(CostEntry)
        rows = []
        categories = list(CostEntry.Category)
        for pk, (_, start, end, _, _) in self.project_info.items():
            last = min(end, ANCHOR)
            if last <= start:
                continue
            for _ in range(COST_ENTRIES_PER_PROJECT):
                date = start + dt.timedelta(days=rng.randrange((last - start).days + 1))
                rows.append((base + len(rows), pk, date, money(rng, 10, 2_000), rng.choice(categories), ""))
        self.load.write(CostEntry, ("id", "project_id", "date", "amount", "category", "note"), rows)

        base = self.load.first_pk(StatusReport)
        last_friday = ANCHOR - dt.timedelta(days=(ANCHOR.weekday() - 4) % 7 or 7)
        rows = []
        for pk, (_, _, _, status, manager) in self.project_info.items():
            if status != "active":
                continue
            for week in range(STATUS_REPORTS_PER_ACTIVE_PROJECT):
                period_end = last_friday - dt.timedelta(weeks=week)
                published = dt.datetime.combine(period_end, dt.time(16, 0), tzinfo=dt.UTC)
                rag = [rng.choice((RAG.GREEN, RAG.GREEN, RAG.AMBER, RAG.RED)) for _ in range(4)]
                rows.append(
                    (
                        base + len(rows),
                        pk,
                        period_end,
                        *rag,
                        "On track overall.",
                        "Finished the sprint goals.",
                        "Next sprint planning.",
                        "",
                        manager,
                        "published",
                        published,
                    )
                )
        columns = (
            "id", "project_id", "period_end", "overall", "schedule", "budget", "scope", "summary", "accomplishments",
            "next_steps", "blockers", "author_id", "status", "published_at",
        )  # fmt: skip
        self.load.write(StatusReport, columns, rows)
