"""Recent changes for the dashboards' "changed since last week": a health override cleared, a milestone moved.

The rest of the week's changes (new critical risks, decided resource requests, features shipped) are already in the
demo as it is built; these two are written as edits would be, and their history rows dated a few days back.
"""

import datetime

from django.utils import timezone

from portfolio.demo.organisation.base import BuilderBase
from programs.models import Milestone, Project

CLEARED_OVERRIDE = "Observability overhaul"  # its manager set it amber a month ago, and cleared it this week
MOVED_MILESTONE = "Warehouse connectors"  # its next milestone moved three weeks later this week


class DashboardsBuilder(BuilderBase):
    def _at(self, days: int) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.days(days), datetime.time(10)))

    def _edit(self, obj, when: datetime.datetime, **changes) -> None:
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
        # Dated as the edit would have been: the history row the save just wrote.
        latest = type(obj).history.filter(id=obj.pk).latest("history_id")
        type(obj).history.filter(history_id=latest.history_id).update(history_date=when)

    def build_recent_changes(self) -> None:
        project = self.projects.get(CLEARED_OVERRIDE)
        if project is not None and not Project.history.filter(id=project.pk, health_override="amber").exists():
            self._edit(project, self._at(-30), health_override="amber")
            self._edit(project, self._at(-3), health_override="")
        late = self.projects.get(MOVED_MILESTONE)
        if late is None:
            return
        if Milestone.history.filter(project_id=late.pk, history_type="~").exists():
            return  # moved on an earlier run
        upcoming = late.milestones.filter(completed_on__isnull=True, due_date__gt=self.anchor).order_by("due_date")
        milestone = upcoming.first()
        if milestone is not None:
            self._edit(milestone, self._at(-2), due_date=milestone.due_date + datetime.timedelta(weeks=3))
