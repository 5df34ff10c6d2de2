"""The products of the demo organisation: members, themes, releases, features, feedback, market and metrics."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from portfolio.demo.content.customers import CONTEXT_BY_SEGMENT, CUSTOMERS, FIRST_NAMES, LAST_NAMES
from portfolio.demo.content.feedback import FEEDBACK, FEEDBACK_VOLUME, GENERIC_FEEDBACK, WAITING_FEEDBACK
from portfolio.demo.content.market import COMPETITORS, INSIGHTS
from portfolio.demo.content.products import MEMBERSHIPS, PRODUCTS, RELEASES
from portfolio.demo.organisation.base import BuilderBase, money, month_start
from products.models import (
    CONFIDENCE_VALUES,
    IMPACT_VALUES,
    Feature,
    Feedback,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from products.selectors import POSITION_STEP
from products.services import (
    competitor_create,
    demand_recompute,
    feature_move,
    feature_status_change,
    feature_update,
    insight_create,
)

# How many of a product's features get a story of changes, and the step before each final horizon and status
# (a status step along the flow: idea → planned → in progress → shipped, parked from and back to idea).
SHOWCASE_FEATURES = 4
# How many of a product's feedback items arrive in the current calendar month.
FEEDBACK_THIS_MONTH = 9
EARLIER_HORIZON = {"now": "next", "next": "later", "later": "next"}
EARLIER_STATUS = {
    "planned": "idea",
    "in-progress": "planned",
    "shipped": "in-progress",
    "idea": "parked",
    "parked": "idea",
}

CHANNELS = ["interview", "support", "support", "survey", "sales", "sales", "review", "other"]
FEATURE_NOTES = [
    "Asked for repeatedly in customer interviews.",
    "Scoped with design partners; see the linked feedback.",
    "Part of the enterprise readiness checklist.",
    "Small change with a big effect on daily use.",
    "Needs a spike to size the backend work.",
    "Sales expects this to unblock several open deals.",
]


class ProductsBuilder(BuilderBase):
    def build_products(self) -> None:
        for spec in PRODUCTS:
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
        self.build_archived_product()

    def build_archived_product(self) -> None:
        """A product switched off last quarter and archived, so the list's "Show archived" has one to show."""
        product, _ = Product.objects.get_or_create(
            name="Brightwell Desktop",
            defaults={
                "slug": "desktop",
                "owner": self.users["sofia.martins"],
                "lifecycle_stage": Product.Stage.SUNSET,
                "description": "The Windows desktop client, replaced by the browser app and switched off.",
                "vision": "Every desktop customer works in the browser app, with nothing left behind.",
                "archived_at": self.moment(self.days(-45), 17),
            },
        )
        Release.objects.get_or_create(
            product=product,
            name="Desktop 3.9 (final)",
            defaults={"target_date": self.days(-120), "status": "released", "released_on": self.days(-118)},
        )

    def build_members(self, product: Product, slug: str) -> None:
        for username, product_slug, function, role in MEMBERSHIPS:
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
        names = RELEASES[slug]
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
            for username, product_slug, _function, role in MEMBERSHIPS
            if product_slug == slug and role == "editor"
        ]
        objectives = [self.objectives[index] for index in objective_indexes]
        # Spaced positions, as the roadmap leaves them: a card dropped between two takes the middle of their gap.
        positions: dict[str, int] = defaultdict(lambda: POSITION_STEP)
        features, feature_objectives, stories = [], [], {}
        showcase = self.showcase_titles(slug)
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
                positions[horizon] += POSITION_STEP
                if title in showcase:
                    # Saved first as it stood weeks ago; the product manager's changes since bring it here.
                    stories[title] = {
                        name: getattr(feature, name) for name in ("horizon", "status", "reach", "confidence")
                    }
                    feature.horizon, feature.status = EARLIER_HORIZON[horizon], EARLIER_STATUS[status]
                    feature.reach, feature.confidence = max(feature.reach // 2, 40), CONFIDENCE_VALUES[0]
                features.append(feature)
                if objectives and rng.random() < 0.6:
                    feature_objectives.append((feature, rng.choice(objectives)))
        bulk_create_with_history(features, Feature, default_user=product.owner)
        saved = {feature.title: feature for feature in product.features.all()}
        self.replay_feature_changes(product, [(saved[title], story) for title, story in stories.items()])
        Feature.objectives.through.objects.bulk_create(
            Feature.objectives.through(feature_id=saved[feature.title].pk, strategicobjective_id=objective.pk)
            for feature, objective in feature_objectives
        )
        self.features[slug] = saved

    @staticmethod
    def showcase_titles(slug: str) -> list[str]:
        """The features customers ask for first in the product's feedback: the ones whose page shows a history."""
        titles = [title for _summary, _quote, linked, *_rest in FEEDBACK[slug] for title in linked]
        return list(dict.fromkeys(titles))[:SHOWCASE_FEATURES]

    def replay_feature_changes(self, product: Product, stories: list[tuple[Feature, dict]]) -> None:
        """The product manager's changes to the showcase features, through the services, weeks apart.

        Each was created eleven weeks ago; then re-scored (more reach, more confidence), moved to its horizon
        and taken one step along the status flow, so its page shows who changed what, when, from and to.
        """
        manager = product.owner
        created = self.moment(self.days(-77), 9)
        Feature.history.filter(id__in=[feature.pk for feature, _ in stories]).update(history_date=created)
        for number, (feature, story) in enumerate(stories):
            steps = [
                (-60, {"reach": story["reach"], "confidence": story["confidence"]}),
                (-41, {"horizon": story["horizon"]}),
                (-19, {"status": story["status"]}),
            ]
            for days, change in steps:
                feature._history_date = self.moment(self.days(days + number), 10 + number % 6, 15)
                if "status" in change:
                    feature_status_change(user=manager, feature=feature, version=feature.version, **change)
                elif "horizon" in change:
                    feature_move(user=manager, feature=feature, version=feature.version, **change)
                else:
                    feature_update(user=manager, feature=feature, version=feature.version, data=change)

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
        templates = FEEDBACK[slug]
        rows, links = [], []
        # The first few items arrive this calendar month (up to now), so "Feedback this month" is never empty,
        # even on the first of the month; the rest over the last six months.
        month_opened = self.moment(month_start(self.anchor), 0)
        month_so_far = max(min(timezone.now(), self.moment(self.anchor, 23, 59)) - month_opened, datetime.timedelta())
        for index in range(FEEDBACK_VOLUME[slug]):
            company, segment, domain = rng.choice(CUSTOMERS)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if index < FEEDBACK_THIS_MONTH:
                received_at = month_opened + month_so_far * rng.random()
                received = timezone.localtime(received_at).date()
            else:
                received = self.days(-rng.randint(0, 180))
                received_at = self.moment(received, rng.randint(8, 17), rng.choice([0, 10, 25, 40, 55]))
            if rng.random() < 0.88:
                summary, quote, titles, sentiment, importance = rng.choice(templates)
            else:
                summary, quote, sentiment, importance = rng.choice(GENERIC_FEEDBACK)
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
            context = rng.choice(CONTEXT_BY_SEGMENT[segment]).format(n=rng.randint(3, 9))
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
                    received_at=received_at,
                    status=status,
                )
            )
            links.append(linked)
        # The inbox's latest: hand-written items of the last weeks, waiting for triage.
        for days, summary, body, customer, company, segment, channel, sentiment, importance in WAITING_FEEDBACK.get(
            slug, []
        ):
            domain = next((domain for name, _segment, domain in CUSTOMERS if name == company), "customer.example")
            first, _, last = customer.partition(" ")
            rows.append(
                Feedback(
                    product=product,
                    summary=summary,
                    body=body,
                    channel=channel,
                    customer_name=customer,
                    company=company,
                    email=f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}",
                    segment=segment,
                    sentiment=sentiment,
                    importance=importance,
                    received_at=self.moment(self.days(-days), 9 + days % 8, (days * 7) % 60),
                    status=Feedback.Status.NEW,
                )
            )
            links.append([])
        created = Feedback.objects.bulk_create(rows)
        if created and created[0].pk is None:  # databases that do not return ids on bulk insert
            created = list(product.feedback.order_by("id"))
        Feedback.features.through.objects.bulk_create(
            Feedback.features.through(feedback_id=item.pk, feature_id=feature.pk)
            for item, linked in zip(created, links, strict=True)
            for feature in linked
        )
        demand_recompute(product=product)  # the links were written in bulk, past the feedback services

    def build_market(self, product: Product, slug: str) -> None:
        """The product's competitors and market insights, written by its owner through the market services."""
        owner = product.owner
        listed = set(product.competitors.values_list("name", flat=True))
        for name, website, positioning, strengths, weaknesses, pricing, threat in COMPETITORS[slug]:
            if name in listed:
                continue
            data = {
                "name": name,
                "website": website,
                "positioning": positioning,
                "strengths": strengths,
                "weaknesses": weaknesses,
                "pricing": pricing,
                "threat_level": threat,
            }
            competitor_create(user=owner, product=product, data=data)
        if product.insights.exists():
            return
        for kind, title, segment, evidence, value, titles in INSIGHTS[slug]:
            data = {
                "kind": kind,
                "title": title,
                "segment": segment,
                "evidence": evidence,
                "estimated_value": Decimal(value) if value is not None else None,
                "features": [self.features[slug][feature_title] for feature_title in titles],
            }
            insight_create(user=owner, product=product, data=data)

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
                    MetricReading(metric=metric, date=month_start(self.anchor, step - 11), value=money(value))
                )
            MetricReading.objects.bulk_create(readings)
