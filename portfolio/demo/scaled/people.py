"""The benchmark organisation's users, by role, and its strategic objectives with their key results."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError

from portfolio.core import roles
from portfolio.core.models import KeyResult, StrategicObjective, User
from portfolio.demo.scaled.base import BuilderBase
from portfolio.demo.scaled.shapes import ANCHOR, KEY_RESULTS_PER_OBJECTIVE
from portfolio.demo.scaled.vocabulary import FIRST_NAMES, LAST_NAMES, MEMBER_FUNCTIONS, OBJECTIVE_TITLES

BENCH_PASSWORD = "bench-password"  # every generated user's password unless the caller gives another
EMAIL_DOMAIN = "bench.example.com"


class PeopleBuilder(BuilderBase):
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
