import factory
from django.utils import timezone

from risks.models import MitigationAction, Risk
from tests.core.factories import UserFactory
from tests.programs.factories import ProjectFactory


def _closed(risk) -> bool:
    return risk.status == Risk.Status.CLOSED


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    project = factory.SubFactory(ProjectFactory)
    owner = factory.SubFactory(UserFactory)
    probability = 3
    impact = 3
    status = Risk.Status.OPEN
    # A closed risk carries its time and note (a database constraint).
    closed_at = factory.LazyAttribute(lambda risk: timezone.now() if _closed(risk) else None)
    closing_note = factory.LazyAttribute(lambda risk: "Closed by the factory." if _closed(risk) else "")


class MitigationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MitigationAction

    risk = factory.SubFactory(RiskFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
