import re

import pytest


@pytest.mark.django_db
def test_token_is_issued_for_valid_credentials_and_authenticates(api_client, product_manager):
    response = api_client.post("/api/v1/auth/token/", {"username": "pm", "password": "pw-pm"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "pm"
    assert me.json()["roles"] == ["Product managers"]


@pytest.mark.django_db
def test_token_with_bad_credentials_is_400_with_field_errors(api_client, product_manager):
    response = api_client.post("/api/v1/auth/token/", {"username": "pm", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    response = api_client.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


@pytest.mark.django_db
def test_anonymous_api_requests_are_refused(api_client):
    assert api_client.get("/api/v1/me/").status_code == 401
    assert api_client.get("/api/schema/").status_code == 401


@pytest.mark.django_db
def test_invalid_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}


def test_me_returns_the_current_user_with_roles(api_as, superuser):
    body = api_as(superuser).get("/api/v1/me/").json()
    assert body["username"] == "root"
    assert body["is_superuser"] is True
    assert body["roles"] == []


def test_schema_and_swagger_page_are_served_without_other_hosts(client, member):
    client.force_login(member)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the Swagger page loads its assets"
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), asset
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_token_requests_are_rate_limited(api_client, product_manager, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    cache.clear()
    try:
        codes = [
            api_client.post("/api/v1/auth/token/", {"username": "pm", "password": "wrong"}, format="json").status_code
            for _ in range(4)
        ]
    finally:
        cache.clear()
    assert codes == [400, 400, 400, 429]


def test_database_permission_rows_grant_nothing_beyond_the_rules(member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(Permission.objects.get(codename="change_product"))
    member = type(member).objects.get(pk=member.pk)  # drop the permission cache
    assert not member.has_perm("products.change_product")
    assert member.check_password("pw-member")
