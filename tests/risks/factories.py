import factory

from risks.models import MitigationAction, Risk
from tests.core.factories import UserFactory
from tests.programs.factories import ProjectFactory


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    project = factory.SubFactory(ProjectFactory)
    owner = factory.SubFactory(UserFactory)
    probability = 3
    impact = 3


class MitigationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MitigationAction

    risk = factory.SubFactory(RiskFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
