import importlib

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.parametrize("path", ["/", "/accounts/password/", "/api/docs/"])
@pytest.mark.django_db
def test_anonymous_pages_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_login_page_renders_without_signing_in(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_user_signs_in_sees_home_and_signs_out(client, product_manager):
    response = client.post("/accounts/login/", {"username": "pm", "password": "pw-pm"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Welcome, Priya" in home.content
    assert b"Product managers" in home.content

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, product_manager):
    response = client.post("/accounts/login/", {"username": "pm", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get("/").status_code == 302


def test_user_changes_password(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw-member", "new_password1": "a-new-Pass-2026", "new_password2": "a-new-Pass-2026"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-new-Pass-2026")


def test_password_change_with_mismatch_shows_errors_and_changes_nothing(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/password/",
        {"old_password": "pw-member", "new_password1": "a-new-Pass-2026", "new_password2": "different-2026"},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    member.refresh_from_db()
    assert member.check_password("pw-member")


@pytest.mark.django_db
def test_the_role_groups_migration_creates_every_role():
    """Run the data migration itself: a transactional test elsewhere may have flushed the groups it made."""
    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    role_groups = importlib.import_module("portfolio.core.migrations.0002_role_groups")
    Group.objects.filter(name__in=role_groups.ROLES).delete()
    role_groups.create_groups(django_apps, None)
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Product managers",
        "Program managers",
        "Leadership",
        "Team members",
    }


def test_pages_serve_their_assets_locally(client, member):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "http://" not in html and "https://" not in html
    assert client.get("/static/css/app.css").status_code == 200


@pytest.mark.django_db
def test_email_is_unique():
    from django.db import IntegrityError

    User = get_user_model()
    User.objects.create_user(username="a", email="same@example.com")
    with pytest.raises(IntegrityError):
        User.objects.create_user(username="b", email="same@example.com")
