"""The resource plan of the demo organisation: people and contractors, their allocations, the requests for more."""

from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from portfolio.demo.content.company import EXTRA_RESOURCES, PEOPLE, RATE_BY_FUNCTION
from portfolio.demo.content.programs import ALLOCATIONS, RESOURCE_REQUESTS
from portfolio.demo.organisation.base import BuilderBase
from programs.models import Allocation, Resource, ResourceRequest


class ResourcesBuilder(BuilderBase):
    def build_resources(self) -> None:
        people = [
            (f"{first} {last}", self.users[username], function, Decimal(40), RATE_BY_FUNCTION[function])
            for username, first, last, _title, function, _role, is_superuser in PEOPLE
            if function not in ("leadership", "operations")
        ]
        people += [(name, None, function, capacity, rate) for name, function, capacity, rate in EXTRA_RESOURCES]
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
                for person, project, percent, start_week, end_week in ALLOCATIONS
                if person == name
            ]
            if rows:
                bulk_create_with_history(rows, Allocation)

    def build_resource_requests(self) -> None:
        for spec in RESOURCE_REQUESTS:
            project_name, requester, function, person, percent, start, end, why, status, note = spec
            project = self.projects[project_name]
            if ResourceRequest.objects.filter(project=project, justification=why).exists():
                continue
            decided = status in ("approved", "rejected")
            closed = decided or status == "cancelled"  # a cancelled request keeps when, not who
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
                decided_at=self.moment(self.days(-rng.randint(2, 30)), rng.randint(9, 17)) if closed else None,
                decision_note=note,
                allocation=allocation,
            )
            # Requests read as filed a few days to weeks ago.
            ResourceRequest.objects.filter(pk=request.pk).update(
                created_at=self.moment(self.days(-rng.randint(31, 45) if decided else -rng.randint(1, 14)), 10)
            )
