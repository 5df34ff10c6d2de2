"""``manage.py seed_demo``: fill the database with the Brightwell demo organisation (or a scaled data set)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portfolio.demo.organisation import demo_data_exists, seed_organisation

DEFAULT_PASSWORD = "portfolio-demo"
SCALES = ("demo", "small", "large")


class Command(BaseCommand):
    help = (
        "Create a realistic demo organisation: people and logins, products, roadmaps, feedback, portfolios, "
        "programs, projects, resources, risks, status reports and report subscriptions. Safe to run twice. "
        "Refuses to run with DEBUG off unless --force, because it creates logins with a known password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help=f'Password of the demo logins (default: $DEMO_PASSWORD, else "{DEFAULT_PASSWORD}").',
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any product already exists.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--scale", choices=SCALES, default="demo", help="demo (default), small or large.")
        parser.add_argument("--seed", type=int, default=42, help="Seed of the random choices (default 42).")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: seed_demo creates logins with a known password, so it only runs on a development "
                "or demo database. Pass --force if this is one."
            )
        if options["if_empty"] and demo_data_exists():
            self.stdout.write("Products already exist: nothing seeded (--if-empty).")
            return
        password, source = self.password(options["password"])
        if options["scale"] != "demo":
            # The benchmark logins keep their documented password unless one is chosen.
            chosen = password if password != DEFAULT_PASSWORD else None
            self.seed_scaled(options["scale"], options["seed"], chosen)
            return
        result = seed_organisation(password=password, seed=options["seed"])

        self.stdout.write(self.style.SUCCESS(f"Demo organisation ready (seed {options['seed']}):"))
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<28}{count:>6}")
        self.stdout.write("")
        self.stdout.write(f"Sign in as any of these with the password {password!r} ({source}):")
        for username, full_name, role in result.logins:
            self.stdout.write(f"  {username:<18}{full_name:<20}{role}")
        kept = [username for username, *_ in result.logins if username not in result.created_users]
        if kept:
            self.stdout.write(f"Already there before this run, so they keep their own password: {', '.join(kept)}.")

    def password(self, given: str | None) -> tuple[str, str]:
        if given is not None:
            if not given:
                raise CommandError("--password cannot be empty.")
            return given, "from --password"
        if os.environ.get("DEMO_PASSWORD"):
            return os.environ["DEMO_PASSWORD"], "from $DEMO_PASSWORD"
        return DEFAULT_PASSWORD, "the default; choose another with --password or $DEMO_PASSWORD"

    def seed_scaled(self, scale: str, seed: int, password: str | None) -> None:
        # Imported here so the demo organisation works whether or not the scaled data set is installed.
        try:
            from portfolio.demo.scaled import seed_scaled
        except ImportError as error:
            raise CommandError(f"--scale {scale} is not available: {error}") from error
        kwargs = {"password": password} if password else {}
        seed_scaled(scale=scale, seed=seed, stdout=self.stdout, **kwargs)
