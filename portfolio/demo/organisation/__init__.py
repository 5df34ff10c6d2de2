"""Build the believable demo organisation (``manage.py seed_demo``).

Deterministic: every random choice comes from ``random.Random`` seeded with the seed and the name of what
is being built, so one part never shifts another. Idempotent: named things (people, objectives, products,
programs, projects, resources…) are found by their natural key before anything is created, and the rows
that belong to one of them (features of a product, milestones of a project, risks of a scope…) are
created only when it has none yet. A second run therefore adds nothing, on the same day or later.

Dates hang on an anchor (today by default): late milestones are due before it, status reports end on the
Fridays before it, the roadmap spans the quarter holding it and the three after.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from portfolio.core.models import KeyResult, StrategicObjective, User
from portfolio.demo import content
from portfolio.reports.models import ReportSubscription
from products.models import (
    CONFIDENCE_VALUES,
    IMPACT_VALUES,
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from programs.models import (
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Resource,
    ResourceRequest,
    StatusReport,
)
from risks.models import MitigationAction, Risk

# Every model the demo fills, in the order the summary lists them.
SEEDED_MODELS: list[type[models.Model]] = [
    User,
    StrategicObjective,
    KeyResult,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Milestone,
    Dependency,
    Product,
    ProductMember,
    Theme,
    Release,
    Feature,
    Feedback,
    Competitor,
    MarketInsight,
    ProductMetric,
    MetricReading,
    Resource,
    Allocation,
    ResourceRequest,
    CostEntry,
    StatusReport,
    Risk,
    MitigationAction,
    ReportSubscription,
]

CENT = Decimal("0.01")
# Forecast ÷ budget that each planned health shows on the dashboards (forecast = actual + remaining labour).
FORECAST_RATIO = {"green": (0.78, 0.93), "amber": (1.03, 1.07), "red": (1.14, 1.2)}
# (probability, impact) pairs per severity band, so project health comes out as planned.
MEDIUM_OR_LOWER = [(1, 2), (2, 2), (1, 4), (2, 3), (3, 2), (2, 4), (3, 3), (1, 5), (4, 2)]
HIGH = [(3, 4), (4, 3), (2, 5), (5, 2)]
CRITICAL = [(4, 4), (5, 3), (3, 5), (4, 5), (5, 4), (5, 5)]
CHANNELS = ["interview", "support", "support", "survey", "sales", "sales", "review", "other"]


@dataclass
class SeedResult:
    """What the seed did: row counts per model and the demo logins."""

    counts: dict[str, int]
    logins: list[tuple[str, str, str]]  # username, full name, role
    password: str
    created_users: list[str] = field(default_factory=list)


def seed_organisation(*, password: str, seed: int = 42, today: datetime.date | None = None) -> SeedResult:
    """Create whatever is missing of the demo organisation, in one transaction, and report the counts."""
    builder = _Builder(password=password, seed=seed, anchor=today or timezone.localdate())
    with transaction.atomic():
        builder.build()
    return SeedResult(
        counts=model_counts(),
        logins=builder.logins(),
        password=password,
        created_users=builder.created_users,
    )


def model_counts() -> dict[str, int]:
    """Return the number of rows of every model the demo fills, by verbose plural name."""
    return {str(model._meta.verbose_name_plural): model.objects.count() for model in SEEDED_MODELS}


def _quarter_start(day: datetime.date, offset: int = 0) -> datetime.date:
    index = (day.month - 1) // 3 + offset
    return datetime.date(day.year + index // 4, index % 4 * 3 + 1, 1)


def _month_start(day: datetime.date, offset: int = 0) -> datetime.date:
    index = day.month - 1 + offset
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def _round_to(value: Decimal, step: int) -> Decimal:
    return (Decimal(round(value / step)) * step).quantize(CENT)


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


@dataclass
class _ProjectPlan:
    start: datetime.date
    end: datetime.date
    budget: Decimal
    costs: list[tuple[datetime.date, Decimal, str, str]]


class _Builder:
    def __init__(self, *, password: str, seed: int, anchor: datetime.date):
        self.password = password
        self.seed = seed
        self.anchor = anchor
        self.quarters = [
            (_quarter_start(anchor, n), _quarter_start(anchor, n + 1) - datetime.timedelta(days=1)) for n in range(4)
        ]
        self.users: dict[str, User] = {}
        self.objectives: list[StrategicObjective] = []
        self.products: dict[str, Product] = {}
        self.features: dict[str, dict[str, Feature]] = {}
        self.portfolios: dict[str, Portfolio] = {}
        self.programs: dict[str, Program] = {}
        self.projects: dict[str, Project] = {}
        self.project_specs: dict[str, tuple] = {}
        self.resources: dict[str, Resource] = {}
        self.created_users: list[str] = []

    def rng(self, *parts) -> random.Random:
        """A generator of its own for each part, so adding rows to one part never changes another."""
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    def weeks(self, count: int) -> datetime.date:
        return self.anchor + datetime.timedelta(weeks=count)

    def days(self, count: int) -> datetime.date:
        return self.anchor + datetime.timedelta(days=count)

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def build(self) -> None:
        self.build_people()
        self.build_objectives()
        self.build_products()
        self.build_portfolios()
        self.build_dependencies()
        self.build_resources()
        self.build_resource_requests()
        self.build_status_reports()
        self.build_risks()
        self.build_subscriptions()

    # --- People ------------------------------------------------------------------------------------

    def build_people(self) -> None:
        password_hash = None
        for username, first, last, title, function, role, is_superuser in content.PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                details = {
                    "email": f"{username}@{content.EMAIL_DOMAIN}",
                    "first_name": first,
                    "last_name": last,
                    "title": title,
                    "function": function,
                }
                # One hash for all demo logins: hashing is deliberately slow, and they share the password anyway.
                password_hash = password_hash or make_password(self.password)
                user = User.objects.create(
                    username=username,
                    password=password_hash,
                    is_staff=is_superuser,
                    is_superuser=is_superuser,
                    **details,
                )
                if role:
                    user.groups.add(Group.objects.get_or_create(name=role)[0])
                self.created_users.append(username)
            self.users[username] = user

    def logins(self) -> list[tuple[str, str, str]]:
        roles = {username: role or "Administrator" for username, *_, role, _ in content.PEOPLE}
        return [(name, str(self.users[name]), roles[name]) for name in content.LOGINS]

    def build_objectives(self) -> None:
        start, end = self.quarters[0][0], self.quarters[3][1]
        for title, description, owner, weight, status, key_results in content.OBJECTIVES:
            objective, _ = StrategicObjective.objects.get_or_create(
                title=title,
                defaults={
                    "description": description,
                    "owner": self.users[owner],
                    "weight": weight,
                    "status": status,
                    "start_date": start,
                    "end_date": end,
                },
            )
            if not objective.key_results.exists():
                KeyResult.objects.bulk_create(
                    KeyResult(
                        objective=objective,
                        title=kr_title,
                        unit=unit,
                        start_value=Decimal(str(first)),
                        target_value=Decimal(str(target)),
                        current_value=Decimal(str(current)),
                    )
                    for kr_title, unit, first, target, current in key_results
                )
            self.objectives.append(objective)

    # --- Products ----------------------------------------------------------------------------------

    def build_products(self) -> None:
        for spec in content.PRODUCTS:
            name, slug, owner, stage, description, vision, objective_indexes, metrics, themes = spec
            product, created = Product.objects.get_or_create(
                name=name,
                defaults={
                    "slug": slug,
                    "owner": self.users[owner],
                    "lifecycle_stage": stage,
                    "description": description,
                    "vision": vision,
                },
            )
            if created:
                product.objectives.set([self.objectives[index] for index in objective_indexes])
            self.products[slug] = product
            self.build_members(product, slug)
            theme_rows = self.build_themes(product, themes)
            releases = self.build_releases(product, slug)
            self.build_features(product, slug, themes, theme_rows, releases, objective_indexes)
            self.build_feedback(product, slug)
            self.build_market(product, slug)
            self.build_metrics(product, metrics)

    def build_members(self, product: Product, slug: str) -> None:
        for username, product_slug, function, role in content.MEMBERSHIPS:
            if product_slug == slug:
                ProductMember.objects.get_or_create(
                    product=product, user=self.users[username], defaults={"function": function, "role": role}
                )

    def build_themes(self, product: Product, themes: list) -> dict[str, Theme]:
        rows = {}
        for position, (name, colour, _blurb, _titles) in enumerate(themes):
            rows[name], _ = Theme.objects.get_or_create(
                product=product, name=name, defaults={"colour": colour, "position": position}
            )
        return rows

    def build_releases(self, product: Product, slug: str) -> list[Release]:
        """One shipped release, one in progress this quarter, two planned for the next quarters."""
        names = content.RELEASES[slug]
        plans = [
            {"target_date": self.days(-14), "status": "released", "released_on": self.days(-12)},
            {"target_date": self.quarters[0][1], "status": "in-progress"},
            {"target_date": self.quarters[1][1], "status": "planned"},
            {"target_date": self.quarters[2][1], "status": "planned"},
        ]
        return [
            Release.objects.get_or_create(product=product, name=release_name, defaults=plan)[0]
            for release_name, plan in zip(names, plans, strict=True)
        ]

    def build_features(self, product, slug, themes, theme_rows, releases, objective_indexes) -> None:
        if product.features.exists():
            self.features[slug] = {feature.title: feature for feature in product.features.all()}
            return
        rng = self.rng("features", slug)
        editors = [product.owner] + [
            self.users[username]
            for username, product_slug, _function, role in content.MEMBERSHIPS
            if product_slug == slug and role == "editor"
        ]
        objectives = [self.objectives[index] for index in objective_indexes]
        positions: dict[str, int] = defaultdict(int)
        features, feature_objectives = [], []
        for theme_name, _colour, blurb, titles in themes:
            for title in titles:
                horizon = rng.choices(["now", "next", "later"], weights=[35, 35, 30])[0]
                status, start, end, release = self.feature_schedule(rng, horizon, releases)
                feature = Feature(
                    product=product,
                    title=title,
                    description=f"{blurb} {rng.choice(FEATURE_NOTES)}",
                    status=status,
                    horizon=horizon,
                    release=release,
                    theme=theme_rows[theme_name],
                    start_date=start,
                    end_date=end,
                    position=positions[horizon],
                    owner=rng.choice(editors),
                    reach=rng.choice([80, 150, 300, 450, 800, 1200, 2000, 3500, 6000]),
                    impact=rng.choice(IMPACT_VALUES),
                    confidence=rng.choice(CONFIDENCE_VALUES),
                    effort=Decimal(str(rng.choice([0.5, 1, 1.5, 2, 3, 4, 6, 8]))),
                )
                positions[horizon] += 1
                features.append(feature)
                if objectives and rng.random() < 0.6:
                    feature_objectives.append((feature, rng.choice(objectives)))
        bulk_create_with_history(features, Feature)
        saved = {feature.title: feature for feature in product.features.all()}
        Feature.objectives.through.objects.bulk_create(
            Feature.objectives.through(feature_id=saved[feature.title].pk, strategicobjective_id=objective.pk)
            for feature, objective in feature_objectives
        )
        self.features[slug] = saved

    def feature_schedule(self, rng, horizon, releases):
        """Status, dates and release of a feature in a lane: now is this quarter, next the one after, later beyond."""
        (q0_start, q0_end), (q1_start, q1_end) = self.quarters[0], self.quarters[1]
        if horizon == "now":
            status = rng.choices(["shipped", "in-progress", "planned"], weights=[25, 50, 25])[0]
            if status == "shipped":
                end = self.days(-rng.randint(3, 20))
                return status, min(q0_start, end) - datetime.timedelta(days=rng.randint(14, 40)), end, releases[0]
            start = q0_start + datetime.timedelta(days=rng.randint(0, 30))
            if status == "planned":
                start = min(self.days(rng.randint(1, 14)), q0_end)
            return status, min(start, q0_end), q0_end, releases[1]
        if horizon == "next":
            status = rng.choices(["planned", "idea"], weights=[60, 40])[0]
            start = q1_start + datetime.timedelta(days=rng.randint(0, 40))
            return status, start, min(start + datetime.timedelta(days=rng.randint(21, 60)), q1_end), releases[2]
        status = rng.choices(["idea", "parked", "planned"], weights=[70, 15, 15])[0]
        if status == "parked":
            return status, None, None, None
        index = rng.choice([2, 3])
        start = self.quarters[index][0] + datetime.timedelta(days=rng.randint(0, 40))
        end = min(start + datetime.timedelta(days=rng.randint(21, 60)), self.quarters[index][1])
        return status, start, end, releases[3] if index == 2 else None

    def build_feedback(self, product: Product, slug: str) -> None:
        if product.feedback.exists():
            return
        rng = self.rng("feedback", slug)
        features = self.features[slug]
        templates = content.FEEDBACK[slug]
        rows, links = [], []
        for _ in range(content.FEEDBACK_VOLUME[slug]):
            company, segment, domain = rng.choice(content.CUSTOMERS)
            first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
            received = self.days(-rng.randint(0, 180))
            if rng.random() < 0.88:
                summary, quote, titles, sentiment, importance = rng.choice(templates)
            else:
                summary, quote, sentiment, importance = rng.choice(content.GENERIC_FEEDBACK)
                titles = []
            linked = [features[title] for title in titles][:3]
            if linked and rng.random() < 0.3:
                linked = linked[:1]
            recent = received > self.days(-21)
            if recent and rng.random() < 0.6:
                status, linked = "new", []
            elif linked:
                status = "linked"
            else:
                status = rng.choices(["triaged", "archived", "new"], weights=[60, 30, 10])[0]
            context = rng.choice(content.CONTEXT_BY_SEGMENT[segment]).format(n=rng.randint(3, 9))
            rows.append(
                Feedback(
                    product=product,
                    summary=summary,
                    body=f"“{quote}” {context}",
                    channel=rng.choice(CHANNELS),
                    customer_name=f"{first} {last}",
                    company=company,
                    email=f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}",
                    segment=segment,
                    sentiment=sentiment,
                    importance=importance,
                    received_at=self.moment(received, rng.randint(8, 17), rng.choice([0, 10, 25, 40, 55])),
                    status=status,
                )
            )
            links.append(linked)
        created = Feedback.objects.bulk_create(rows)
        if created and created[0].pk is None:  # databases that do not return ids on bulk insert
            created = list(product.feedback.order_by("id"))
        Feedback.features.through.objects.bulk_create(
            Feedback.features.through(feedback_id=item.pk, feature_id=feature.pk)
            for item, linked in zip(created, links, strict=True)
            for feature in linked
        )

    def build_market(self, product: Product, slug: str) -> None:
        for name, website, positioning, strengths, weaknesses, pricing, threat in content.COMPETITORS[slug]:
            Competitor.objects.get_or_create(
                product=product,
                name=name,
                defaults={
                    "website": website,
                    "positioning": positioning,
                    "strengths": strengths,
                    "weaknesses": weaknesses,
                    "pricing": pricing,
                    "threat_level": threat,
                },
            )
        if product.insights.exists():
            return
        for kind, title, segment, evidence, value, titles in content.INSIGHTS[slug]:
            insight = MarketInsight.objects.create(
                product=product,
                kind=kind,
                title=title,
                segment=segment,
                evidence=evidence,
                estimated_value=Decimal(value) if value is not None else None,
            )
            insight.features.set([self.features[slug][feature_title] for feature_title in titles])

    def build_metrics(self, product: Product, metrics: list) -> None:
        for name, unit, target, direction, then, now in metrics:
            metric, _ = ProductMetric.objects.get_or_create(
                product=product,
                name=name,
                defaults={"unit": unit, "target": Decimal(str(target)), "direction": direction},
            )
            if metric.readings.exists():
                continue
            rng = self.rng("metric", product.slug, name)
            readings = []
            for step in range(12):
                value = then + (now - then) * step / 11
                if step < 11:
                    value *= 1 + rng.uniform(-0.03, 0.03)
                readings.append(
                    MetricReading(metric=metric, date=_month_start(self.anchor, step - 11), value=_money(value))
                )
            MetricReading.objects.bulk_create(readings)

    # --- Portfolios, programs, projects -------------------------------------------------------------

    def build_portfolios(self) -> None:
        for name, description, owner, programs in content.PORTFOLIOS:
            plans = {project[0]: self.project_plan(project) for program in programs for project in program[5]}
            program_budgets = {
                program[0]: _round_to(sum(plans[project[0]].budget for project in program[5]) * Decimal("1.05"), 10_000)
                for program in programs
            }
            portfolio, _ = Portfolio.objects.get_or_create(
                name=name,
                defaults={
                    "description": description,
                    "owner": self.users[owner],
                    "fiscal_year": self.anchor.year,
                    "budget": _round_to(sum(program_budgets.values()) * Decimal("1.1"), 100_000),
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

    def project_plan(self, spec) -> _ProjectPlan:
        """Dates, cost entries and a budget that puts the forecast where the planned health wants it."""
        name, _product, status, offset, duration, base, health, *_ = spec
        rng = self.rng("project", name)
        start = _month_start(self.anchor, offset)
        end = _month_start(start, duration) - datetime.timedelta(days=1)
        costs = []
        if status not in ("proposed", "approved"):
            elapsed = min(1.0, max(0.0, (self.anchor - start).days / (end - start).days))
            spent = base * 1000 * elapsed * rng.uniform(0.85, 1.05)
            months = []
            month = start
            while month <= min(self.anchor, end):
                months.append(month)
                month = _month_start(month, 1)
            for month in months:
                share = spent / len(months)
                day = min(month + datetime.timedelta(days=rng.randint(20, 27)), self.anchor)
                labour = share * rng.uniform(0.7, 0.85)
                costs.append((day, _money(labour), "labour", "Team time booked this month"))
                other = share - labour
                category, note = rng.choice(OTHER_COSTS)
                costs.append((day, _money(other), category, note))
        actual = sum((amount for _day, amount, _category, _note in costs), Decimal(0))
        remaining = self.remaining_labour(name) if status not in ("completed", "cancelled") else Decimal(0)
        colour = health.split("-")[0]
        cause = health.split("-")[1] if "-" in health else ""
        low, high = FORECAST_RATIO[colour if cause == "budget" else "green"]
        budget = Decimal(round(float(actual + remaining) / rng.uniform(low, high), -3))
        if cause != "budget":  # a budget above the forecast keeps the project green on cost
            budget = max(budget, Decimal(base * 1000))
        return _ProjectPlan(start=start, end=end, budget=budget.quantize(CENT), costs=costs)

    def remaining_labour(self, project_name: str) -> Decimal:
        """Planned labour still to come on the project's allocations (the forecast the dashboards compute)."""
        rates = self.resource_rates()
        total = Decimal(0)
        for person, project, percent, start_week, end_week in content.ALLOCATIONS:
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
            f"{first} {last}": (Decimal(40), Decimal(content.RATE_BY_FUNCTION[function]))
            for _username, first, last, _title, function, *_ in content.PEOPLE
        }
        for name, _function, capacity, rate in content.EXTRA_RESOURCES:
            rates[name] = (Decimal(capacity), Decimal(rate))
        return rates

    def build_project(self, program: Program, spec, plan: _ProjectPlan) -> None:
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
        chosen = [content.MILESTONES[0], content.MILESTONES[1], content.MILESTONES[2], content.MILESTONES[4]]
        if rng.random() < 0.4:
            chosen.insert(3, content.MILESTONES[3])
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
        bulk_create_with_history(rows, Milestone)

    def build_dependencies(self) -> None:
        for source, target, kind, note in content.DEPENDENCIES:
            Dependency.objects.get_or_create(
                from_project=self.projects[source],
                to_project=self.projects[target],
                defaults={"kind": kind, "note": note},
            )

    # --- Resources ---------------------------------------------------------------------------------

    def build_resources(self) -> None:
        people = [
            (f"{first} {last}", self.users[username], function, Decimal(40), content.RATE_BY_FUNCTION[function])
            for username, first, last, _title, function, _role, is_superuser in content.PEOPLE
            if function not in ("leadership", "operations")
        ]
        people += [(name, None, function, capacity, rate) for name, function, capacity, rate in content.EXTRA_RESOURCES]
        for name, user, function, capacity, rate in people:
            resource = Resource.objects.filter(name=name).first()
            if resource is None:
                resource = Resource.objects.create(
                    name=name,
                    user=user if user is not None and not Resource.objects.filter(user=user).exists() else None,
                    function=function,
                    capacity_hours=Decimal(capacity),
                    cost_rate=Decimal(rate),
                )
            self.resources[name] = resource
        for name, resource in self.resources.items():
            if resource.allocations.exists():
                continue
            rows = [
                Allocation(
                    resource=resource,
                    project=self.projects[project],
                    percent=percent,
                    start_date=self.weeks(start_week),
                    end_date=self.weeks(end_week),
                )
                for person, project, percent, start_week, end_week in content.ALLOCATIONS
                if person == name
            ]
            if rows:
                bulk_create_with_history(rows, Allocation)

    def build_resource_requests(self) -> None:
        for spec in content.RESOURCE_REQUESTS:
            project_name, requester, function, person, percent, start, end, why, status, note = spec
            project = self.projects[project_name]
            if ResourceRequest.objects.filter(project=project, justification=why).exists():
                continue
            decided = status in ("approved", "rejected")
            resource = self.resources[person] if person else None
            allocation = None
            if status == "approved":
                allocation = Allocation.objects.filter(resource=resource, project=project, request__isnull=True).first()
            rng = self.rng("request", project_name, requester)
            request = ResourceRequest.objects.create(
                product=project.product,
                project=project,
                requested_by=self.users[requester],
                function=function,
                resource=resource,
                percent=percent,
                start_date=self.weeks(start),
                end_date=self.weeks(end),
                justification=why,
                status=status,
                decided_by=project.program.manager if decided else None,
                decided_at=self.moment(self.days(-rng.randint(2, 30)), rng.randint(9, 17)) if decided else None,
                decision_note=note,
                allocation=allocation,
            )
            # Requests read as filed a few days to weeks ago.
            ResourceRequest.objects.filter(pk=request.pk).update(
                created_at=self.moment(self.days(-rng.randint(31, 45) if decided else -rng.randint(1, 14)), 10)
            )

    # --- Status, risks, subscriptions ----------------------------------------------------------------

    def build_status_reports(self) -> None:
        last_friday = self.days(-((self.anchor.weekday() - 4) % 7 or 7))
        for name, project in self.projects.items():
            if project.status not in ("active", "on-hold") or project.status_reports.exists():
                continue
            health = self.project_specs[name][6]
            colour, _, cause = health.partition("-")
            rng = self.rng("status", name)
            rows = []
            for weeks_back in (2, 1, 0):
                period_end = last_friday - datetime.timedelta(weeks=weeks_back)
                overall = colour if weeks_back == 0 else ("amber" if colour == "red" and weeks_back == 1 else "green")
                if colour == "amber" and weeks_back == 1:
                    overall = rng.choice(["green", "amber"])
                rows.append(
                    StatusReport(
                        project=project,
                        period_end=period_end,
                        overall=overall,
                        schedule=overall if cause in ("milestone", "risk") else "green",
                        budget=overall if cause == "budget" else "green",
                        scope=rng.choice(["green", "green", "amber"]) if overall != "green" else "green",
                        summary=rng.choice(content.STATUS_SUMMARIES[overall]),
                        accomplishments=rng.choice(ACCOMPLISHMENTS),
                        next_steps=rng.choice(NEXT_STEPS),
                        blockers="" if overall == "green" else rng.choice(BLOCKERS),
                        author=project.manager,
                        status="published",
                        published_at=self.moment(period_end, 16, rng.choice([0, 15, 30, 45])),
                    )
                )
            bulk_create_with_history(rows, StatusReport)

    def build_risks(self) -> None:
        """Two risks per project (matching its planned health), two per program, one or two per product."""
        for name, project in self.projects.items():
            health = self.project_specs[name][6]
            bands = [HIGH if health == "amber-risk" else CRITICAL if health == "red-risk" else MEDIUM_OR_LOWER]
            bands.append(MEDIUM_OR_LOWER)
            closed = project.status == "completed"
            self.build_scope_risks({"project": project}, project.manager, bands, name, closed)
        for index, (name, program) in enumerate(self.programs.items()):
            bands = [CRITICAL if index in (0, 3) else HIGH, MEDIUM_OR_LOWER]
            self.build_scope_risks({"program": program}, program.manager, bands, name, False)
        for slug, product in self.products.items():
            if slug in ("flow", "field", "assist"):
                bands = [HIGH, MEDIUM_OR_LOWER]
            else:
                bands = [CRITICAL if slug == "billing" else MEDIUM_OR_LOWER]
            self.build_scope_risks({"product": product}, product.owner, bands, slug, False)

    def build_scope_risks(self, scope: dict, owner: User, bands: list, key: str, all_closed: bool) -> None:
        if Risk.objects.filter(**scope).exists():
            return
        rng = self.rng("risks", key)
        templates = rng.sample(content.RISKS, len(bands))
        risks, actions = [], []
        for (title, description, category, kind, trigger), band in zip(templates, bands, strict=True):
            probability, impact = rng.choice(band)
            status = "closed" if all_closed else rng.choices(["open", "mitigating"], weights=[45, 55])[0]
            if band is MEDIUM_OR_LOWER and not all_closed and rng.random() < 0.2:
                status = rng.choice(["closed", "occurred"])
            response = "accept" if probability * impact <= 4 else "transfer" if category == "vendor" else "mitigate"
            risk = Risk(
                **scope,
                kind=kind,
                title=title,
                description=description,
                category=category,
                owner=owner,
                probability=probability,
                impact=impact,
                status=status,
                response=response,
                trigger=trigger,
                review_date=self.days(rng.randint(5, 45)) if status in ("open", "mitigating") else None,
                residual_probability=max(1, probability - rng.randint(1, 2)) if status == "mitigating" else None,
                residual_impact=max(1, impact - rng.randint(0, 1)) if status == "mitigating" else None,
                closed_at=self.moment(self.days(-rng.randint(5, 60)), 11) if status == "closed" else None,
            )
            risks.append(risk)
            if response != "accept":
                for description_text in rng.sample(content.MITIGATIONS, rng.randint(1, 2)):
                    due = self.days(rng.randint(-30, 40))
                    done = status == "closed" or (due < self.anchor and rng.random() < 0.7)
                    actions.append(
                        (
                            risk,
                            MitigationAction(
                                description=description_text,
                                owner=owner,
                                due_date=due,
                                done_at=self.moment(min(due, self.days(-1)), 15) if done else None,
                            ),
                        )
                    )
        saved = bulk_create_with_history(risks, Risk)
        if saved and saved[0].pk is None:
            saved = list(Risk.objects.filter(**scope).order_by("id"))
        by_title = {risk.title: risk for risk in saved}
        for risk, action in actions:
            action.risk = by_title[risk.title]
        MitigationAction.objects.bulk_create(action for _, action in actions)

    def build_subscriptions(self) -> None:
        core, growth = self.portfolios["Core Platform"], self.portfolios["Growth & New Markets"]
        plans = {
            "leader": [
                {"frequency": "weekly", "weekday": 0, "hour": 8},
                {"frequency": "monthly", "day_of_month": 1, "hour": 8, "portfolio": core},
                {"frequency": "monthly", "day_of_month": 1, "hour": 8, "portfolio": growth},
            ],
            "tomasz.nowak": [
                {"frequency": "weekly", "weekday": 0, "hour": 7, "portfolio": core},
                {"frequency": "monthly", "day_of_month": 2, "hour": 9},
            ],
            "helen.achebe": [
                {"frequency": "weekly", "weekday": 4, "hour": 16, "portfolio": growth},
                {"frequency": "monthly", "day_of_month": 1, "hour": 9},
            ],
        }
        for username, rows in plans.items():
            user = self.users[username]
            if user.report_subscriptions.exists():
                continue
            ReportSubscription.objects.bulk_create(ReportSubscription(recipient=user, **row) for row in rows)


FEATURE_NOTES = [
    "Asked for repeatedly in customer interviews.",
    "Scoped with design partners; see the linked feedback.",
    "Part of the enterprise readiness checklist.",
    "Small change with a big effect on daily use.",
    "Needs a spike to size the backend work.",
    "Sales expects this to unblock several open deals.",
]
OTHER_COSTS = [
    ("software", "Licences and cloud services"),
    ("services", "External contractor days"),
    ("travel", "Customer workshop travel"),
    ("hardware", "Test devices"),
    ("software", "Load-testing tooling"),
]
ACCOMPLISHMENTS = [
    "Finished the sprint goal; demoed to two design partners.",
    "Closed 14 stories and 3 bugs; performance tests green.",
    "Signed off the design for the next milestone.",
]
NEXT_STEPS = [
    "Start the beta with the first design partners.",
    "Finish integration tests and prepare the security review.",
    "Plan the launch with marketing and support.",
]
BLOCKERS = [
    "Waiting on the platform team for the new region.",
    "Two engineers out sick this week.",
    "Decision needed on scope for the enterprise bundle.",
]


def demo_data_exists() -> bool:
    """Whether the database already holds products (``seed_demo --if-empty`` then leaves it alone)."""
    return Product.objects.exists()
