"""Input no page means gets 400 or 404, never 500 — on SQLite and on PostgreSQL (NUL is PostgreSQL's 500).

Main answered ``GET /verify/abc%00def/`` with 500 for anyone on PostgreSQL, and the guardian admin's
``/admin/catalogue/resource/abc/permissions/`` with 500.
"""

import pytest
from django.test import Client

from tests.catalogue.factories import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # The test client re-raises a view's exception; a 500 must fail the test as one, not as a traceback.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        "/verify/abc%00def/",
        "/verify/?next=%00",
        "/catalogue/resources/?q=%00",
        "/catalogue/resources/%00/",
        "/projects/?year=20%0026",
        "/accounts/login/?next=/%00",
    ],
)
def test_nul_in_a_path_or_query_is_a_bad_request(client, applicant, path):
    assert client.get(path).status_code == 400
    client.force_login(applicant)
    assert client.get(path).status_code == 400


def test_nul_in_a_login_form_field_is_a_bad_request(client):
    response = client.post("/accounts/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400


def test_nul_in_a_posted_form_of_a_logged_in_user_is_a_bad_request(client, applicant):
    client.force_login(applicant)
    response = client.post("/catalogue/resources/new/", {"name": "资源\x00", "code": "111112001/0001"})
    assert response.status_code == 400


def test_nul_in_the_session_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400


def test_a_token_that_cannot_exist_is_not_found(client):
    assert client.get("/verify/abc%20def/").status_code == 404
    assert client.get("/verify/" + "a" * 300 + "/").status_code == 404


@pytest.mark.parametrize(
    "suffix",
    [
        "abc/permissions/",
        "abc/permissions/user-manage/1/",
        "abc/permissions/group-manage/1/",
        "{pk}/permissions/user-manage/abc/",
        "{pk}/permissions/group-manage/abc/",
        "999999/permissions/",
    ],
)
def test_guardian_admin_pages_answer_404_to_a_key_that_cannot_exist(
    client, admin_user, unit, applicant, suffix
):
    resource = make_resource(unit, applicant)
    client.force_login(admin_user)
    response = client.get("/admin/catalogue/resource/" + suffix.format(pk=resource.pk))
    assert response.status_code == 404


def test_the_guardian_admin_page_of_a_real_resource_still_opens(client, admin_user, unit, applicant):
    resource = make_resource(unit, applicant)
    client.force_login(admin_user)
    assert client.get(f"/admin/catalogue/resource/{resource.pk}/permissions/").status_code == 200
