"""The people of the demo organisation, with their logins, and the year's strategic objectives."""

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from portfolio.core.models import KeyResult, StrategicObjective, User
from portfolio.demo.content.company import EMAIL_DOMAIN, LOGINS, OBJECTIVES, PEOPLE
from portfolio.demo.organisation.base import BuilderBase


class PeopleBuilder(BuilderBase):
    def build_people(self) -> None:
        password_hash = None
        for username, first, last, title, function, role, is_superuser in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                details = {
                    "email": f"{username}@{EMAIL_DOMAIN}",
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
        roles = {username: role or "Administrator" for username, *_, role, _ in PEOPLE}
        return [(name, str(self.users[name]), roles[name]) for name in LOGINS]

    def build_objectives(self) -> None:
        start, end = self.quarters[0][0], self.quarters[3][1]
        for title, description, owner, weight, status, key_results in OBJECTIVES:
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
