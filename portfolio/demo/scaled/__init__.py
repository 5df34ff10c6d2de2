"""The benchmark organisation (``seed_demo --scale large|small``), built with bulk inserts.

Rows come from ``random.Random`` streams seeded by ``seed`` (one stream per table, so tables do not shift each other)
and a fixed anchor date. Primary keys are assigned here, counting up from each table's current maximum, so foreign
keys are built without reading anything back. The biggest tables are loaded with COPY on PostgreSQL (``executemany``
elsewhere), the others with ``bulk_create``. Bulk rows get no simple_history records, on purpose. The timestamps
``created_at``/``updated_at`` are the time of the run (feedback: its ``received_at``); every other value is the same
on every run into an empty database.
"""

import datetime as dt
import io
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from portfolio.core import roles
from portfolio.core.models import KeyResult, StrategicObjective, User
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
    RAG,
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


@dataclass(frozen=True)
class Shape:
    """How many rows of each headline kind; per-parent kinds (themes, milestones…) follow the constants below."""

    users: int
    objectives: int
    portfolios: int
    programs: int
    projects: int
    products: int
    features: int  # every feature, the big product's included
    big_product_features: int  # the first product's features (a roadmap far bigger than the others)
    feedback: int
    feedback_links: int
    risks: int
    resources: int
    allocations_per_resource: int
    subscriptions: int


SCALES = {
    "large": Shape(
        users=10_000,
        objectives=40,
        portfolios=20,
        programs=200,
        projects=2_000,
        products=500,
        features=200_000,
        big_product_features=10_000,
        feedback=1_000_000,
        feedback_links=1_500_000,
        risks=20_000,
        resources=3_000,
        allocations_per_resource=20,
        subscriptions=5_000,
    ),
    "small": Shape(
        users=100,
        objectives=8,
        portfolios=2,
        programs=2,
        projects=20,
        products=5,
        features=2_000,
        big_product_features=100,
        feedback=10_000,
        feedback_links=15_000,
        risks=200,
        resources=30,
        allocations_per_resource=20,
        subscriptions=50,
    ),
}

ANCHOR = dt.date(2026, 11, 2)  # a Monday; "today" for every generated date
ANCHOR_TIME = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
BENCH_PASSWORD = "bench-password"  # every generated user's password unless the caller gives another
EMAIL_DOMAIN = "bench.example.com"

BATCH_SIZE = 5_000
COPY_CHUNK = 50_000
KEY_RESULTS_PER_OBJECTIVE = 3
MEMBERS_PER_PRODUCT = 8
THEMES_PER_PRODUCT = 5
RELEASE_QUARTERS = (-2, -1, 0, 1, 2, 3)  # quarters relative to the anchor's
COMPETITORS_PER_PRODUCT = 3
INSIGHTS_PER_PRODUCT = 2
METRICS_PER_PRODUCT = 2
READINGS_PER_METRIC = 12
MILESTONES_PER_PROJECT = 4
FEATURES_PER_PROJECT = 8
COST_ENTRIES_PER_PROJECT = 6
STATUS_REPORTS_PER_ACTIVE_PROJECT = 2

# Vocabulary for names and titles (kept compact on purpose).
# fmt: off
FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noah",
    "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zane", "Amir", "Bea",
    "Carlos", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nora",
)
LAST_NAMES = (
    "Abe", "Berg", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lund",
    "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Xu",
    "Yilmaz", "Zhang", "Novak", "Singh", "Murphy", "Larsen",
)
PRODUCT_WORDS_A = (
    "Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Fable", "Garnet", "Harbor", "Indigo", "Juniper", "Kestrel", "Lumen",
    "Meridian", "Nimbus", "Onyx", "Prism", "Quartz", "Relay", "Summit", "Tidal", "Umber", "Vector", "Willow", "Xenon",
    "Zephyr",
)
PRODUCT_WORDS_B = (
    "Platform", "Billing", "Insights", "Mobile", "Connect", "Studio", "Payments", "Analytics", "Workflow", "Identity",
    "Search", "Messaging", "Scheduler", "Catalog", "Checkout", "Reports", "Gateway", "Support", "Inventory", "Portal",
)
THEME_NAMES = (
    "Onboarding", "Performance", "Reporting", "Integrations", "Security", "Mobile", "Collaboration", "Self-service",
    "Accessibility", "Growth", "Compliance", "Platform health",
)
COLOURS = ("#4c6ef5", "#12b886", "#fab005", "#fa5252", "#7950f2", "#15aabf", "#e64980", "#82c91e")
VERBS = (
    "Add", "Improve", "Redesign", "Automate", "Simplify", "Speed up", "Export", "Import", "Localise", "Audit", "Secure",
    "Share", "Schedule", "Sync", "Bulk-edit", "Preview", "Archive", "Merge", "Filter", "Search",
)
OBJECTS = (
    "invoices", "user roles", "dashboards", "notifications", "the checkout flow", "API tokens", "saved views",
    "CSV reports", "team workspaces", "approval workflows", "audit logs", "single sign-on", "webhooks",
    "the mobile inbox", "usage limits", "custom fields", "comments", "data retention", "templates",
    "onboarding checklists",
)
QUALIFIERS = ("", "", "", " for admins", " for enterprise accounts", " on mobile", " in bulk", " via the API")
FEEDBACK_OPENERS = (
    "Please add", "We struggle with", "Love the new", "Slow loading of", "Cannot find", "Need better", "Confusing",
    "Request: more control over", "Bug in", "Would pay for better",
)
FEEDBACK_BODIES = (
    "", "Came up twice in the quarterly review.", "Our team works around it with spreadsheets today.",
    "Blocking the roll-out to the second region.", "Mentioned by several users in the last survey.",
    "Competitor already offers this.", "Not urgent, but it would save us hours every week.",
    "Raised by the customer's IT department.",
)
RISK_OPENERS = ("Delay in", "Cost overrun on", "Vendor risk for", "Gap in", "Security finding in")
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
    "Soylent", "Massive", "Aperture", "Oscorp", "Gringotts", "Nakatomi", "Monarch", "Dunder", "Pied",
)
COMPANY_SUFFIXES = ("Ltd", "GmbH", "Inc", "AG", "BV", "SA", "Group", "Labs")
SEGMENTS = ("Enterprise", "Mid-market", "SMB", "Public sector", "Education")
COMPETITORS = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Adatum", "Woodgrove")
PORTFOLIO_AREAS = (
    "Customer experience", "Core platform", "Revenue", "Operations", "Data and AI", "Security and compliance",
    "Partner ecosystem", "Internal tools",
)
PROGRAM_WORDS = (
    "Modernisation", "Migration", "Expansion", "Consolidation", "Automation", "Resilience", "Onboarding",
    "Self-service", "Localisation", "Observability",
)
PROJECT_WORDS = (
    "Rebuild", "Launch", "Pilot", "Upgrade", "Roll-out", "Integration", "Discovery", "Hardening", "Retirement",
    "Consolidation",
)
OBJECTIVE_TITLES = (
    "Grow recurring revenue", "Reduce churn", "Expand into new markets", "Raise customer satisfaction",
    "Cut operating costs", "Improve platform reliability", "Shorten time to market", "Meet regulatory requirements",
)
MEMBER_FUNCTIONS = (
    User.Function.ENGINEERING, User.Function.ENGINEERING, User.Function.ENGINEERING, User.Function.DESIGN,
    User.Function.MARKETING, User.Function.SALES, User.Function.SUPPORT, User.Function.OPERATIONS,
)
# fmt: on
EFFORTS = tuple(Decimal(value) for value in ("0.50", "1.00", "2.00", "3.00", "5.00", "8.00", "13.00"))
WSJF_SCALE = (1, 2, 3, 5, 8, 13, 20)


# -----------------------------------------------------------------------------
# Loading: COPY on PostgreSQL, bulk_create elsewhere
# -----------------------------------------------------------------------------
def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class _Loader:
    """Writes generated rows table by table, keeps the counts and prints a timing per table."""

    def __init__(self, stdout: TextIO):
        self.stdout = stdout
        self.use_copy = connection.vendor == "postgresql"
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self.models: list[type[models.Model]] = []

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()

    @staticmethod
    def first_pk(model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple], fast: bool = False):
        """Insert ``rows`` (tuples in ``columns`` order, field attnames) into ``model``'s table.

        ``fast`` tables (the biggest) skip model instances: COPY on PostgreSQL, ``executemany`` elsewhere.
        """
        started = time.monotonic()
        if fast and self.use_copy:
            how, written = "COPY", self._copy(model, columns, rows)
        elif fast:
            how, written = "executemany", self._insert_many(model, columns, rows)
        else:
            how, written = "bulk_create", self._bulk_create(model, columns, rows)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        if model not in self.models:
            self.models.append(model)
        self.say(f"  {label:<34} {written:>10,} rows  {time.monotonic() - started:7.1f} s  ({how})")

    def _bulk_create(self, model, columns, rows) -> int:
        written = 0
        for chunk in _chunks(rows, BATCH_SIZE):
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in chunk], BATCH_SIZE
            )
            written += len(chunk)
        return written

    def _complete(self, model, columns) -> tuple[list[models.Field], list[models.Field], list[Any]]:
        """The fields given, and the other columns with what bulk_create would put there."""
        meta = model._meta
        given = [meta.get_field(name) for name in columns]
        # Now for auto timestamps, else the default. Generated columns (rice_score, score) are computed by the
        # database and must not be written.
        rest = [
            field
            for field in meta.concrete_fields
            if field not in given and not getattr(field, "generated", False) and not field.primary_key
        ]
        filled = [
            self.now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default()
            for field in rest
        ]
        return given, rest, filled

    def _copy(self, model, columns, rows) -> int:
        quote = connection.ops.quote_name
        given, rest, filled = self._complete(model, columns)
        suffix = "".join("\t" + _copy_text(value) for value in filled) + "\n"
        column_list = ", ".join(quote(field.column) for field in given + rest)
        sql = f"COPY {quote(model._meta.db_table)} ({column_list}) FROM STDIN"
        written = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, COPY_CHUNK):
                text = "".join(["\t".join([_copy_text(value) for value in row]) + suffix for row in chunk])
                cursor.copy_expert(sql, io.StringIO(text))
                written += len(chunk)
        return written

    def _insert_many(self, model, columns, rows) -> int:
        quote = connection.ops.quote_name
        given, rest, filled = self._complete(model, columns)
        # Only dates, times and decimals need the backend's adaptation (what get_db_prep_save would do).
        adapters = [(i, _adapter(field)) for i, field in enumerate(given) if _adapter(field)]
        tail = [(_adapter(field) or (lambda value: value))(value) for field, value in zip(rest, filled, strict=True)]
        column_list = ", ".join(quote(field.column) for field in given + rest)
        placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({column_list}) VALUES ({placeholders})"
        written = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, BATCH_SIZE):
                prepared = []
                for row in chunk:
                    values = list(row)
                    for i, adapt in adapters:
                        if values[i] is not None:
                            values[i] = adapt(values[i])
                    prepared.append(values + tail)
                cursor.executemany(sql, prepared)
                written += len(chunk)
        return written

    def finish(self) -> None:
        """Move the id sequences past the assigned keys and refresh the planner's statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.use_copy:
                for model in self.models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _adapter(field: models.Field):
    """The backend's adaptation for a field's values, or None when they pass through as they are."""
    ops, kind = connection.ops, field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return None


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder), summing exactly."""
    scale = total / sum(weights)
    raw = [weight * scale for weight in weights]
    parts = [int(value) for value in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _quarter_end(date: dt.date, offset: int) -> dt.date:
    index = date.year * 4 + (date.month - 1) // 3 + offset
    year, quarter = divmod(index, 4)
    if quarter == 3:
        return dt.date(year, 12, 31)
    return dt.date(year, quarter * 3 + 4, 1) - dt.timedelta(days=1)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 100)


# -----------------------------------------------------------------------------
# The organisation
# -----------------------------------------------------------------------------
class _Builder:
    def __init__(self, shape: Shape, seed: int, loader: _Loader, password: str):
        self.shape = shape
        self.seed = seed
        self.load = loader
        self.password = password

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    def build(self) -> None:
        self.users()
        self.objectives()
        self.products()
        self.features()
        self.feedback()
        self.product_context()
        self.portfolios_and_programs()
        self.projects()
        self.project_details()
        self.resources()
        self.risks()
        self.subscriptions()

    # --- people --------------------------------------------------------------------------------------------------
    def users(self) -> None:
        shape, rng = self.shape, self.rng("users")
        n_pm = max(2, shape.users * 3 // 100)
        n_pgm = max(2, shape.users // 40)
        n_lead = max(1, shape.users // 200)
        n_member = shape.users - 1 - n_pm - n_pgm - n_lead
        plan = [("bench-admin", None, User.Function.OPERATIONS, "Administrator")]
        plan += [
            (f"pm-{i:04d}", roles.PRODUCT_MANAGERS, User.Function.PRODUCT, "Product manager")
            for i in range(1, n_pm + 1)
        ]
        plan += [
            (f"pgm-{i:04d}", roles.PROGRAM_MANAGERS, User.Function.PROGRAM, "Program manager")
            for i in range(1, n_pgm + 1)
        ]
        plan += [
            (f"lead-{i:04d}", roles.LEADERSHIP, User.Function.LEADERSHIP, "Director") for i in range(1, n_lead + 1)
        ]
        plan += [(f"member-{i:05d}", roles.TEAM_MEMBERS, None, None) for i in range(1, n_member + 1)]

        taken = set(User.objects.values_list("username", flat=True)) | set(User.objects.values_list("email", flat=True))
        clashes = [name for name, *_ in plan if name in taken or f"{name}@{EMAIL_DOMAIN}" in taken]
        if clashes:
            raise CommandError(
                f"Users such as {clashes[0]!r} already exist; build the benchmark into an empty database."
            )

        base = self.load.first_pk(User)
        password = make_password(self.password)  # hashed once: every user shares it
        groups = {name: Group.objects.get_or_create(name=name)[0].pk for name in roles.ALL_ROLES}
        self.user_names: dict[int, str] = {}
        self.user_functions: dict[int, str] = {}
        self.pm_ids, self.pgm_ids, self.lead_ids, self.member_ids = [], [], [], []
        by_role = {
            roles.PRODUCT_MANAGERS: self.pm_ids,
            roles.PROGRAM_MANAGERS: self.pgm_ids,
            roles.LEADERSHIP: self.lead_ids,
            roles.TEAM_MEMBERS: self.member_ids,
        }
        user_rows, group_rows = [], []
        for index, (username, role, function, title) in enumerate(plan):
            pk = base + index
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if function is None:
                function = rng.choice(MEMBER_FUNCTIONS)
                title = f"{User.Function(function).label} specialist"
            admin = role is None
            user_rows.append(
                (pk, username, first, last, f"{username}@{EMAIL_DOMAIN}", password, admin, admin, title, function)
            )
            self.user_names[pk] = f"{first} {last}"
            self.user_functions[pk] = function
            if admin:
                self.admin_id = pk
            else:
                by_role[role].append(pk)
                group_rows.append((pk, groups[role]))
        columns = ("id", "username", "first_name", "last_name", "email", "password", "is_staff", "is_superuser")
        self.load.write(User, columns + ("title", "function"), user_rows)
        through = User.groups.through
        group_base = self.load.first_pk(through)
        self.load.write(
            through, ("id", "user_id", "group_id"), ((group_base + i, *row) for i, row in enumerate(group_rows))
        )

    def objectives(self) -> None:
        shape, rng = self.shape, self.rng("objectives")
        base = self.load.first_pk(StrategicObjective)
        top_level = max(1, shape.objectives // 4)
        self.objective_ids = [base + i for i in range(shape.objectives)]
        owners = self.lead_ids or [self.admin_id]
        rows = []
        for i, pk in enumerate(self.objective_ids):
            title = f"{OBJECTIVE_TITLES[i % len(OBJECTIVE_TITLES)]} ({i + 1})"
            parent = None if i < top_level else base + rng.randrange(top_level)
            status = rng.choices(list(StrategicObjective.Status), weights=(6, 2, 1, 1))[0]
            rows.append(
                (
                    pk,
                    title,
                    f"Objective {i + 1} for {ANCHOR.year}.",
                    rng.choice(owners),
                    parent,
                    dt.date(ANCHOR.year, 1, 1),
                    dt.date(ANCHOR.year, 12, 31),
                    rng.randint(1, 5),
                    status,
                )
            )
        columns = ("id", "title", "description", "owner_id", "parent_id", "start_date", "end_date", "weight", "status")
        self.load.write(StrategicObjective, columns, rows)

        kr_base = self.load.first_pk(KeyResult)
        rows = []
        for pk in self.objective_ids:
            for k in range(KEY_RESULTS_PER_OBJECTIVE):
                target = Decimal(rng.choice((100, 250, 1000, 5000)))
                rows.append(
                    (
                        kr_base + len(rows),
                        pk,
                        f"Key result {k + 1}",
                        rng.choice(("%", "users", "€", "points")),
                        Decimal(0),
                        target,
                        Decimal(rng.randrange(0, int(target) + 1)),
                    )
                )
        columns = ("id", "objective_id", "title", "unit", "start_value", "target_value", "current_value")
        self.load.write(KeyResult, columns, rows)

    # --- products ------------------------------------------------------------------------------------------------
    def products(self) -> None:
        shape, rng = self.shape, self.rng("products")
        base = self.load.first_pk(Product)
        self.product_ids = [base + i for i in range(shape.products)]
        self.product_owner: dict[int, int] = {}
        rows = []
        a, b = len(PRODUCT_WORDS_A), len(PRODUCT_WORDS_B)
        for i, pk in enumerate(self.product_ids):
            name = f"{PRODUCT_WORDS_A[i % a]} {PRODUCT_WORDS_B[(i // a) % b]}"
            if i >= a * b:
                name += f" {i // (a * b) + 1}"
            owner = self.pm_ids[i % len(self.pm_ids)]
            self.product_owner[pk] = owner
            stage = Product.Stage.GROWTH if i == 0 else rng.choice(list(Product.Stage))
            rows.append(
                (
                    pk,
                    name,
                    slugify(name),
                    f"{name}: one of the organisation's products.",
                    f"Make {name} the obvious choice for its customers.",
                    owner,
                    stage,
                )
            )
        columns = ("id", "name", "slug", "description", "vision", "owner_id", "lifecycle_stage")
        self.load.write(Product, columns, rows)

        through = Product.objectives.through
        link_base = self.load.first_pk(through)
        links = []
        for pk in self.product_ids:
            for objective in rng.sample(self.objective_ids, min(2, len(self.objective_ids))):
                links.append((link_base + len(links), pk, objective))
        self.load.write(through, ("id", "product_id", "strategicobjective_id"), links)

        member_base = self.load.first_pk(ProductMember)
        self.product_members: dict[int, list[int]] = {}
        rows = []
        for pk in self.product_ids:
            members = rng.sample(self.member_ids, min(MEMBERS_PER_PRODUCT, len(self.member_ids)))
            self.product_members[pk] = members
            for k, user in enumerate(members):
                role = ProductMember.Role.EDITOR if k < 2 else ProductMember.Role.VIEWER
                rows.append((member_base + len(rows), pk, user, self.user_functions[user], role))
        self.load.write(ProductMember, ("id", "product_id", "user_id", "function", "role"), rows)

        theme_base = self.load.first_pk(Theme)
        self.theme_ids: dict[int, list[int]] = {}
        rows = []
        for pk in self.product_ids:
            self.theme_ids[pk] = []
            for position, name in enumerate(rng.sample(THEME_NAMES, THEMES_PER_PRODUCT)):
                self.theme_ids[pk].append(theme_base + len(rows))
                rows.append((theme_base + len(rows), pk, name, COLOURS[(position + pk) % len(COLOURS)], position))
        self.load.write(Theme, ("id", "product_id", "name", "colour", "position"), rows)

        release_base = self.load.first_pk(Release)
        self.releases: dict[int, list[tuple[int, dt.date]]] = {}
        rows = []
        for pk in self.product_ids:
            self.releases[pk] = []
            for offset in RELEASE_QUARTERS:
                end = _quarter_end(ANCHOR, offset)
                target = end - dt.timedelta(days=rng.randrange(0, 21))
                quarter = (end.month - 1) // 3 + 1
                if offset < 0:
                    status, released_on = Release.Status.RELEASED, target + dt.timedelta(days=rng.randint(-3, 7))
                else:
                    status, released_on = (Release.Status.IN_PROGRESS if offset == 0 else Release.Status.PLANNED), None
                self.releases[pk].append((release_base + len(rows), target))
                rows.append(
                    (
                        release_base + len(rows),
                        pk,
                        f"{end.year} Q{quarter}",
                        f"The Q{quarter} {end.year} release.",
                        target,
                        status,
                        released_on,
                    )
                )
        columns = ("id", "product_id", "name", "description", "target_date", "status", "released_on")
        self.load.write(Release, columns, rows)

    def features(self) -> None:
        shape, rng = self.shape, self.rng("features")
        rest = [rng.uniform(0.4, 1.6) for _ in self.product_ids[1:]]
        counts = [shape.big_product_features] + _apportion(shape.features - shape.big_product_features, rest)
        base = self.load.first_pk(Feature)
        # Each product's features get consecutive ids: (first id, how many).
        self.feature_range: dict[int, tuple[int, int]] = {}
        start = base
        for pk, count in zip(self.product_ids, counts, strict=True):
            self.feature_range[pk] = (start, count)
            start += count

        def rows() -> Iterator[tuple]:
            for pk in self.product_ids:
                first, count = self.feature_range[pk]
                releases, themes = self.releases[pk], self.theme_ids[pk]
                owners = self.product_members[pk] + [self.product_owner[pk]]
                positions = {"now": 0, "next": 0, "later": 0}
                for offset in range(count):
                    roll = rng.random()
                    if roll < 0.25:
                        horizon = "now"
                        status = rng.choice(("shipped", "shipped", "in-progress", "in-progress", "planned"))
                        release = releases[rng.randrange(2)] if status == "shipped" else releases[2]
                    elif roll < 0.55:
                        horizon = "next"
                        status = "planned" if rng.random() < 0.7 else "idea"
                        release = releases[rng.randint(3, 4)] if status == "planned" or rng.random() < 0.5 else None
                    else:
                        horizon = "later"
                        status = rng.choice(("idea", "idea", "idea", "idea", "parked", "planned"))
                        release = releases[5] if status == "planned" else None
                    if release is None:
                        release_id = start_date = end_date = None
                    else:
                        release_id, end_date = release
                        start_date = end_date - dt.timedelta(days=rng.randrange(30, 121))
                    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}"
                    yield (
                        first + offset,
                        pk,
                        title,
                        f"{title}. Requested by customers in several segments.",
                        status,
                        horizon,
                        release_id,
                        themes[rng.randrange(len(themes))] if rng.random() < 0.9 else None,
                        start_date,
                        end_date,
                        positions[horizon],
                        rng.choice(owners),
                        int(10 ** rng.uniform(1, 4.5)),
                        rng.choice(IMPACT_VALUES),
                        rng.choice(CONFIDENCE_VALUES),
                        rng.choice(EFFORTS),
                    )
                    positions[horizon] += 1

        columns = (
            "id", "product_id", "title", "description", "status", "horizon", "release_id", "theme_id", "start_date",
            "end_date", "position", "owner_id", "reach", "impact", "confidence", "effort",
        )  # fmt: skip
        self.load.write(Feature, columns, rows(), fast=True)

    def feedback(self) -> None:
        shape = self.shape
        rng = self.rng("feedback")
        weights = [self.feature_range[pk][1] for pk in self.product_ids]
        per_product = _apportion(shape.feedback, weights)
        # How many features each feedback item is linked to: a tenth none, the rest 1-3, exactly feedback_links.
        unlinked = shape.feedback // 10
        linked = shape.feedback - unlinked
        extra = shape.feedback_links - linked
        if not 0 <= extra <= 2 * linked:
            raise ValueError("feedback_links must lie between 0.9 and 2.8 times feedback")
        threes = extra // 4
        twos = extra - 2 * threes
        link_counts = [0] * unlinked + [1] * (linked - twos - threes) + [2] * twos + [3] * threes
        self.rng("feedback-links-count").shuffle(link_counts)
        base = self.load.first_pk(Feedback)
        companies = [f"{word} {suffix}" for word in COMPANY_WORDS for suffix in COMPANY_SUFFIXES]
        domains = {company: slugify(company) + ".example" for company in companies}
        span = 540 * 86_400
        channels = list(Feedback.Channel)

        def rows() -> Iterator[tuple]:
            pk = base
            for product, count in zip(self.product_ids, per_product, strict=True):
                for _ in range(count):
                    links = link_counts[pk - base]
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    company = rng.choice(companies)
                    received = ANCHOR_TIME - dt.timedelta(seconds=rng.randrange(span))
                    if links:
                        status = "linked"
                    else:
                        status = rng.choice(("new", "new", "triaged", "archived"))
                    yield (
                        pk,
                        product,
                        f"{rng.choice(FEEDBACK_OPENERS)} {rng.choice(OBJECTS)}",
                        rng.choice(FEEDBACK_BODIES),
                        rng.choice(channels),
                        f"{first} {last}",
                        company,
                        f"{first.lower()}.{last.lower()}@{domains[company]}",
                        rng.choice(SEGMENTS),
                        rng.choice(("negative", "neutral", "neutral", "positive")),
                        rng.choice(("nice-to-have", "nice-to-have", "important", "critical")),
                        received,
                        status,
                        received,
                        received,
                    )
                    pk += 1

        columns = (
            "id", "product_id", "summary", "body", "channel", "customer_name", "company", "email", "segment",
            "sentiment", "importance", "received_at", "status", "created_at", "updated_at",
        )  # fmt: skip
        self.load.write(Feedback, columns, rows(), fast=True)

        through = Feedback.features.through
        link_rng = self.rng("feedback-links")
        link_base = self.load.first_pk(through)

        def links() -> Iterator[tuple]:
            pk, link_pk = base, link_base
            for product, count in zip(self.product_ids, per_product, strict=True):
                first, size = self.feature_range[product]
                for _ in range(count):
                    chosen: list[int] = []
                    wanted = min(link_counts[pk - base], size)
                    while len(chosen) < wanted:
                        # Squared draws favour the first features: a few are in high demand, most get little.
                        feature = first + int(size * link_rng.random() ** 2)
                        if feature not in chosen:
                            chosen.append(feature)
                            yield (link_pk, pk, feature)
                            link_pk += 1
                    pk += 1

        self.load.write(through, ("id", "feedback_id", "feature_id"), links(), fast=True)

    def product_context(self) -> None:
        rng = self.rng("market")
        base = self.load.first_pk(Competitor)
        rows = []
        for pk in self.product_ids:
            for name in rng.sample(COMPETITORS, COMPETITORS_PER_PRODUCT):
                rows.append(
                    (
                        base + len(rows),
                        pk,
                        name,
                        f"https://{name.lower()}.example",
                        "Cheaper, narrower.",
                        "Price, brand",
                        "Integrations, support",
                        f"from €{rng.randrange(5, 60)} per seat",
                        rng.choice(list(Competitor.Threat)),
                    )
                )
        columns = ("id", "product_id", "name", "website", "positioning", "strengths", "weaknesses", "pricing")
        self.load.write(Competitor, columns + ("threat_level",), rows)

        base = self.load.first_pk(MarketInsight)
        rows = []
        for pk in self.product_ids:
            for _ in range(INSIGHTS_PER_PRODUCT):
                rows.append(
                    (
                        base + len(rows),
                        pk,
                        rng.choice(list(MarketInsight.Kind)),
                        f"Demand for {rng.choice(OBJECTS)} in {rng.choice(SEGMENTS)}",
                        rng.choice(SEGMENTS),
                        "Seen in win/loss interviews.",
                        _money(rng, 100, 5_000),
                    )
                )
        columns = ("id", "product_id", "kind", "title", "segment", "evidence", "estimated_value")
        self.load.write(MarketInsight, columns, rows)

        base = self.load.first_pk(ProductMetric)
        metrics = [("Weekly active users", "users"), ("Net revenue retention", "%"), ("Activation rate", "%")]
        rows, metric_ids = [], []
        for pk in self.product_ids:
            for name, unit in rng.sample(metrics, METRICS_PER_PRODUCT):
                metric_ids.append(base + len(rows))
                rows.append((base + len(rows), pk, name, unit, Decimal(rng.randrange(50, 5_000)), "higher"))
        self.load.write(ProductMetric, ("id", "product_id", "name", "unit", "target", "direction"), rows)

        base = self.load.first_pk(MetricReading)
        rows = []
        for metric in metric_ids:
            value = rng.randrange(40, 4_000)
            for month in range(READINGS_PER_METRIC):
                year, index = divmod(ANCHOR.year * 12 + ANCHOR.month - 1 - month, 12)
                value = max(1, value + rng.randint(-value // 10, value // 8 + 1))
                rows.append((base + len(rows), metric, dt.date(year, index + 1, 1), Decimal(value)))
        self.load.write(MetricReading, ("id", "metric_id", "date", "value"), rows)

    # --- programs ------------------------------------------------------------------------------------------------
    def portfolios_and_programs(self) -> None:
        shape, rng = self.shape, self.rng("programs")
        base = self.load.first_pk(Portfolio)
        self.portfolio_ids = [base + i for i in range(shape.portfolios)]
        owners = self.lead_ids + self.pgm_ids
        rows = []
        for i, pk in enumerate(self.portfolio_ids):
            name = f"{PORTFOLIO_AREAS[i % len(PORTFOLIO_AREAS)]} {i // len(PORTFOLIO_AREAS) + 1}"
            rows.append(
                (pk, name, f"The {name} portfolio.", owners[i % len(owners)], ANCHOR.year, _money(rng, 50_000, 200_000))
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
                    _money(rng, 5_000, 20_000),
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
                    _money(rng, 500, 20_000),
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
                rows.append((base + len(rows), pk, date, _money(rng, 10, 2_000), rng.choice(categories), ""))
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
                    ANCHOR_TIME - dt.timedelta(days=rng.randrange(1, 30)) if decided else None,
                    "No capacity this quarter." if decided else "",
                )
            )
        columns = (
            "id", "product_id", "project_id", "requested_by_id", "function", "percent", "start_date", "end_date",
            "justification", "status", "decided_by_id", "decided_at", "decision_note",
        )  # fmt: skip
        self.load.write(ResourceRequest, columns, rows)

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
                )

        columns = (
            "id", "kind", "title", "description", "category", "project_id", "program_id", "product_id", "owner_id",
            "probability", "impact", "status", "response", "trigger", "review_date", "residual_probability",
            "residual_impact", "closed_at",
        )  # fmt: skip
        self.load.write(Risk, columns, rows(), fast=True)

        action_base = self.load.first_pk(MitigationAction)
        actions = [
            (action_base + i, risk, "Agree a fallback plan with the team.", owner, review, None)
            for i, (risk, owner, review) in enumerate(plans)
        ]
        self.load.write(MitigationAction, ("id", "risk_id", "description", "owner_id", "due_date", "done_at"), actions)

    def subscriptions(self) -> None:
        shape, rng = self.shape, self.rng("subscriptions")
        base = self.load.first_pk(ReportSubscription)
        recipients = self.lead_ids + self.pgm_ids + self.pm_ids + self.member_ids
        rows = []
        for i in range(shape.subscriptions):
            roll = rng.random()
            portfolio = rng.choice(self.portfolio_ids) if 0.1 <= roll < 0.4 else None
            program = rng.choice(self.program_ids) if 0.4 <= roll < 0.7 else None
            product = rng.choice(self.product_ids) if roll >= 0.7 else None
            weekly = rng.random() < 0.7
            rows.append(
                (
                    base + i,
                    recipients[i % len(recipients)],
                    portfolio,
                    program,
                    product,
                    "weekly" if weekly else "monthly",
                    rng.randrange(5) if weekly else None,
                    None if weekly else rng.randint(1, 28),
                    rng.randint(6, 10),
                    rng.random() < 0.95,
                )
            )
        columns = ("id", "recipient_id", "portfolio_id", "program_id", "product_id", "frequency", "weekday")
        self.load.write(ReportSubscription, columns + ("day_of_month", "hour", "active"), rows)


def seed_scaled(*, scale: str, seed: int, stdout: TextIO, password: str = BENCH_PASSWORD) -> dict[str, int]:
    """Build the benchmark organisation of ``scale`` into an empty database; return rows written per model."""
    if scale not in SCALES:
        raise CommandError(f"Unknown scale {scale!r}; choose one of: {', '.join(SCALES)}.")
    started = time.monotonic()
    loader = _Loader(stdout)
    loader.say(f"Building the {scale} benchmark organisation (seed {seed}) on {connection.vendor}:")
    with transaction.atomic():
        if Product.objects.exists():
            raise CommandError(
                "The database already has products: the benchmark organisation is built only into an empty "
                "database, never on top of other data. Use a fresh database (or flush this one) and run it again."
            )
        _Builder(SCALES[scale], seed, loader, password).build()
        finishing = time.monotonic()
        loader.finish()
        loader.say(f"  {'sequences and statistics':<34} {'':>10}       {time.monotonic() - finishing:7.1f} s")
        committing = time.monotonic()
    # Foreign keys are checked at commit (they are deferred), so the commit takes a while of its own.
    loader.say(f"  {'commit (deferred foreign key checks)':<45}  {time.monotonic() - committing:7.1f} s")
    loader.say(f"Done: {sum(loader.counts.values()):,} rows in {time.monotonic() - started:.1f} s.")
    return dict(loader.counts)
