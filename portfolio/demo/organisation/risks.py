"""The risks of the demo organisation, on projects, programs and products, with their mitigation actions."""

from simple_history.utils import bulk_create_with_history

from portfolio.core.models import User
from portfolio.demo.content.risks import CLOSING_NOTES, MITIGATIONS, RISKS, SHOWCASE_PROJECT, SHOWCASE_RISKS
from portfolio.demo.organisation.base import BuilderBase
from risks import services
from risks.models import MitigationAction, Risk

# (probability, impact) pairs per severity band, so project health comes out as planned.
MEDIUM_OR_LOWER = [(1, 2), (2, 2), (1, 4), (2, 3), (3, 2), (2, 4), (3, 3), (1, 5), (4, 2)]
HIGH = [(3, 4), (4, 3), (2, 5), (5, 2)]
CRITICAL = [(4, 4), (5, 3), (3, 5), (4, 5), (5, 4), (5, 5)]


class RisksBuilder(BuilderBase):
    def build_risks(self) -> None:
        """Two risks per project (matching its planned health), two per program, one or two per product."""
        for name, project in self.projects.items():
            if name == SHOWCASE_PROJECT:
                self.build_showcase_risks(project)
                continue
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
        templates = rng.sample(RISKS, len(bands))
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
                closing_note=rng.choice(CLOSING_NOTES) if status == "closed" else "",
            )
            risks.append(risk)
            if response != "accept":
                for description_text in rng.sample(MITIGATIONS, rng.randint(1, 2)):
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

    def build_showcase_risks(self, project) -> None:
        """The late SSO project's register, written through the services so its score history reads as lived:
        a critical escalated risk with an overdue action, one that occurred (now an issue), one closed with a note.
        """
        if Risk.objects.filter(project=project).exists():
            return
        # program.manager owns the project's portfolio: the demo's program manager keeps this register.
        manager = self.users.get("program.manager") or project.program.manager
        for spec in SHOWCASE_RISKS:
            data = {
                "project": project,
                "owner": manager,
                "review_date": self.days(spec["review_in_days"]),
                **{name: spec[name] for name in ("kind", "title", "description", "category", "trigger", "response")},
                "probability": spec["probability"],
                "impact": spec["impact"],
            }
            risk = services.risk_create(user=manager, data=data)
            for change in spec.get("changes", []):
                risk = services.risk_update(user=manager, risk=risk, version=risk.version, data=change)
            for description, due_in_days, done in spec.get("actions", []):
                action = services.mitigation_action_create(
                    user=manager,
                    risk=risk,
                    data={"description": description, "owner": manager, "due_date": self.days(due_in_days)},
                )
                if done:
                    services.mitigation_action_complete(user=manager, action=action)
            if spec.get("occurred"):
                risk = services.risk_occurred(user=manager, risk=risk, version=risk.version)
            if spec.get("closing_note"):
                services.risk_close(user=manager, risk=risk, version=risk.version, closing_note=spec["closing_note"])
