"""The admin shows a published status report but neither changes nor deletes it; a draft stays editable there."""

import pytest

from programs.models import StatusReport
from tests.programs.factories import StatusReportFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/programs/statusreport/"


def test_a_published_report_is_read_only_in_the_admin_even_for_the_superuser(client, superuser):
    report = StatusReportFactory(status="published", summary="As published.")
    client.force_login(superuser)

    page = client.get(f"{ADMIN}{report.pk}/change/")
    refused = client.post(f"{ADMIN}{report.pk}/change/", {"summary": "Rewritten."})
    delete = client.post(f"{ADMIN}{report.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert refused.status_code == 403
    assert delete.status_code == 403
    assert StatusReport.objects.get().summary == "As published."


def test_a_draft_can_still_be_changed_in_the_admin(client, superuser):
    report = StatusReportFactory()
    client.force_login(superuser)

    page = client.get(f"{ADMIN}{report.pk}/change/")

    assert 'name="_save"' in page.content.decode()
