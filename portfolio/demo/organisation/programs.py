"""The portfolios, programs and projects of the demo organisation, with milestones, costs and dependencies."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from simple_history.utils import bulk_create_with_history

from portfolio.demo.content.company import EXTRA_RESOURCES, PEOPLE, RATE_BY_FUNCTION
from portfolio.demo.content.programs import ALLOCATIONS, DEPENDENCIES, MILESTONES, PORTFOLIO_FUNDING, PORTFOLIOS
from portfolio.demo.organisation.base import CENT, BuilderBase, money, month_start, round_to
from products.models import Feature
from programs.models import CostEntry, Dependency, Milestone, Portfolio, Program, Project, ProjectObjective

# Forecast ÷ budget that each planned health shows on the dashboards (forecast = actual + remaining labour).
# Whose most requested features are sure to be delivered by a staffed project, and how many per product.
TRACE_OWNER = "product.manager"
TRACED_FEATURES = 4
FORECAST_RATIO = {"green": (0.78, 0.93), "amber": (1.03, 1.07), "red": (1.14, 1.2)}
OTHER_COSTS = [
    ("software", "Licences and cloud services"),
    ("services", "External contractor days"),
    ("travel", "Customer workshop travel"),
    ("hardware", "Test devices"),
    ("software", "Load-testing tooling"),
]


@dataclass
class ProjectPlan:
    start: datetime.date
    end: datetime.date
    budget: Decimal
    costs: list[tuple[datetime.date, Decimal, str, str]]


class ProgramsBuilder(BuilderBase):
    def build_portfolios(self) -> None:
        for name, description, owner, programs in PORTFOLIOS:
            plans = {project[0]: self.project_plan(project) for program in programs for project in program[5]}
            program_budgets = {
                program[0]: round_to(sum(plans[project[0]].budget for project in program[5]) * Decimal("1.05"), 10_000)
                for program in programs
            }
            portfolio, _ = Portfolio.objects.get_or_create(
                name=name,
                defaults={
                    "description": description,
                    "owner": self.users[owner],
                    "fiscal_year": self.anchor.year,
                    "budget": round_to(
                        sum(program_budgets.values()) * PORTFOLIO_FUNDING.get(name, Decimal("1.1")), 100_000
                    ),
                },
            )
            self.portfolios[name] = portfolio
            for program_name, manager, status, program_description, objective_indexes, projects in programs:
                program, created = Program.objects.get_or_create(
                    portfolio=portfolio,
                    name=program_name,
                    defaults={
                        "manager": self.users[manager],
                        "status": status,
                        "description": program_description,
                        "budget": program_budgets[program_name],
                        "start_date": min(plans[project[0]].start for project in projects),
                        "end_date": max(plans[project[0]].end for project in projects),
                    },
                )
                if created:
                    program.objectives.set([self.objectives[index] for index in objective_indexes])
                self.programs[program_name] = program
                for project in projects:
                    self.build_project(program, project, plans[project[0]])
        self.build_archived_project()

    def build_archived_project(self) -> None:
        """A project closed and archived last quarter, so the pages' "Show archived" has one to show."""
        program = self.programs["Platform Reliability"]
        project, created = Project.objects.get_or_create(
            program=program,
            name="Legacy job queue retirement",
            defaults={
                "manager": program.manager,
                "status": Project.Status.COMPLETED,
                "description": "The old job queue, replaced by the platform's event bus and switched off.",
                "start_date": self.days(-300),
                "end_date": self.days(-120),
                "budget": Decimal("90000"),
                "archived_at": self.moment(self.days(-60), 16),
            },
        )
        if created:
            bulk_create_with_history(
                [
                    Milestone(
                        project=project,
                        name="Last consumer moved to the event bus",
                        due_date=self.days(-150),
                        completed_on=self.days(-152),
                        is_key=True,
                    ),
                    Milestone(
                        project=project,
                        name="Queue switched off",
                        due_date=self.days(-125),
                        completed_on=self.days(-121),
                    ),
                ],
                Milestone,
            )

    def project_plan(self, spec) -> ProjectPlan:
        """Dates, cost entries and a budget that puts the forecast where the planned health wants it."""
        name, _product, status, offset, duration, base, health, *_ = spec
        rng = self.rng("project", name)
        start = month_start(self.anchor, offset)
        end = month_start(start, duration) - datetime.timedelta(days=1)
        costs = []
        if status not in ("proposed", "approved"):
            elapsed = min(1.0, max(0.0, (self.anchor - start).days / (end - start).days))
            spent = base * 1000 * elapsed * rng.uniform(0.85, 1.05)
            months = []
            month = start
            while month <= min(self.anchor, end):
                months.append(month)
                month = month_start(month, 1)
            for month in months:
                share = spent / len(months)
                day = min(month + datetime.timedelta(days=rng.randint(20, 27)), self.anchor)
                labour = share * rng.uniform(0.7, 0.85)
                costs.append((day, money(labour), "labour", "Team time booked this month"))
                other = share - labour
                category, note = rng.choice(OTHER_COSTS)
                costs.append((day, money(other), category, note))
        actual = sum((amount for _day, amount, _category, _note in costs), Decimal(0))
        remaining = self.remaining_labour(name) if status not in ("completed", "cancelled") else Decimal(0)
        colour = health.split("-")[0]
        cause = health.split("-")[1] if "-" in health else ""
        low, high = FORECAST_RATIO[colour if cause == "budget" else "green"]
        budget = Decimal(round(float(actual + remaining) / rng.uniform(low, high), -3))
        if cause != "budget":  # a budget above the forecast keeps the project green on cost
            budget = max(budget, Decimal(base * 1000))
        return ProjectPlan(start=start, end=end, budget=budget.quantize(CENT), costs=costs)

    def remaining_labour(self, project_name: str) -> Decimal:
        """Planned labour still to come on the project's allocations (the forecast the dashboards compute)."""
        rates = self.resource_rates()
        total = Decimal(0)
        for person, project, percent, start_week, end_week in ALLOCATIONS:
            if project != project_name:
                continue
            first = max(self.anchor, self.weeks(start_week))
            last = self.weeks(end_week)
            if first > last:
                continue
            capacity, rate = rates[person]
            total += Decimal(percent) / 100 * capacity * rate * Decimal((last - first).days + 1) / 7
        return total

    def resource_rates(self) -> dict[str, tuple[Decimal, Decimal]]:
        rates = {
            f"{first} {last}": (Decimal(40), Decimal(RATE_BY_FUNCTION[function]))
            for _username, first, last, _title, function, *_ in PEOPLE
        }
        for name, _function, capacity, rate in EXTRA_RESOURCES:
            rates[name] = (Decimal(capacity), Decimal(rate))
        return rates

    def build_project(self, program: Program, spec, plan: ProjectPlan) -> None:
        name, product_slug, status, _offset, _duration, _base, health, wsjf, contributions = spec
        product = self.products[product_slug] if product_slug else None
        value, criticality, reduction, size = wsjf
        project, _ = Project.objects.get_or_create(
            program=program,
            name=name,
            defaults={
                "manager": program.manager,
                "product": product,
                "status": status,
                "description": f"{program.description.split(':')[0].rstrip('.')}: {name.lower()}.",
                "start_date": plan.start,
                "end_date": plan.end,
                "budget": plan.budget,
                "business_value": value,
                "time_criticality": criticality,
                "risk_reduction": reduction,
                "job_size": size,
                "health_override": "amber" if status == "on-hold" else "",
            },
        )
        self.projects[name] = project
        self.project_specs[name] = spec
        if not project.alignments.exists():
            ProjectObjective.objects.bulk_create(
                ProjectObjective(project=project, objective=self.objectives[index], contribution=contribution)
                for index, contribution in contributions.items()
            )
        if product and not project.features.exists():
            rng = self.rng("delivers", name)
            candidates = [f for f in self.features[product_slug].values() if f.horizon in ("now", "next")]
            project.features.set(rng.sample(candidates, min(len(candidates), rng.randint(3, 6))))
        if not project.milestones.exists():
            self.build_milestones(project, health)
        if not project.cost_entries.exists() and plan.costs:
            CostEntry.objects.bulk_create(
                CostEntry(project=project, date=day, amount=amount, category=category, note=note)
                for day, amount, category, note in plan.costs
            )

    def build_milestones(self, project: Project, health: str) -> None:
        """Past milestones are done, except the deliberately late ones that make a project amber or red."""
        rng = self.rng("milestones", project.name)
        span = (project.end_date - project.start_date).days
        chosen = [MILESTONES[0], MILESTONES[1], MILESTONES[2], MILESTONES[4]]
        if rng.random() < 0.4:
            chosen.insert(3, MILESTONES[3])
        rows = []
        for index, (name, is_key) in enumerate(chosen, start=1):
            due = project.start_date + datetime.timedelta(days=span * index // len(chosen))
            done = None
            if due < self.anchor and project.status != "proposed":
                done = min(due + datetime.timedelta(days=rng.randint(-5, 4)), self.days(-1))
            rows.append(Milestone(project=project, name=name, due_date=due, completed_on=done, is_key=is_key))
        if health.endswith("milestone") or health.startswith("red"):
            rows.append(Milestone(project=project, name="Readiness review with support", due_date=self.days(-9)))
        if health == "red-milestone":
            rows.append(
                Milestone(
                    project=project,
                    name="Pilot live with first enterprise customer",
                    due_date=self.days(-24),
                    is_key=True,
                )
            )
            # Due since the last weekly status report and still open: the draft from live data shows it slipped.
            last_friday = self.days(-((self.anchor.weekday() - 4) % 7 or 7))
            if last_friday < self.days(-1):
                rows.append(
                    Milestone(project=project, name="Audit log export to customer SIEMs", due_date=self.days(-1))
                )
        bulk_create_with_history(rows, Milestone)

    def build_feature_delivery(self) -> None:
        """The product manager's most requested features, each delivered by a staffed project of its product.

        So that a feature's trace on its page names who asked, the project and people building it and its risks.
        Idempotent: only features that no staffed project delivers yet are handed out.
        """
        for product in {project.product for project in self.projects.values() if project.product}:
            if product.owner.username != TRACE_OWNER:
                continue
            staffed = list(
                Project.objects.filter(product=product, status__in=["approved", "active"])
                .annotate(people=Count("allocations"))
                .filter(people__gt=0)
                .order_by("-people", "name")
            )
            if not staffed:
                continue
            wanted = (
                Feature.objects.filter(
                    product=product,
                    demand_count__gt=0,
                    status__in=["idea", "planned", "in-progress"],
                )
                .exclude(projects__in=staffed)
                .order_by("-demand", "id")[:TRACED_FEATURES]
            )
            for index, feature in enumerate(wanted):
                staffed[index % len(staffed)].features.add(feature)

    def build_dependencies(self) -> None:
        for source, target, kind, note in DEPENDENCIES:
            Dependency.objects.get_or_create(
                from_project=self.projects[source],
                to_project=self.projects[target],
                defaults={"kind": kind, "note": note},
            )
