"""Bad input is refused early and cleanly: oversize bodies, bogus lengths, overlong fields."""

import pytest
from django.core.exceptions import ValidationError

from claims import services


@pytest.fixture
def small_limit(settings):
    settings.FACTCHECK_MAX_BODY_BYTES = 1000
    return 1000


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/v1/claims/"])
def test_it_refuses_an_oversize_body_before_reading_it(client, small_limit, path, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.generic("POST", path, b"x" * (small_limit + 1), content_type="application/json")

    assert response.status_code == 413
    assert "limit is 1000 bytes" in response.content.decode()


@pytest.mark.django_db
def test_it_answers_json_for_an_oversize_api_body(client, small_limit):
    response = client.generic("POST", "/api/v1/claims/", b"{}" + b" " * small_limit, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is")


@pytest.mark.django_db
def test_it_refuses_a_bogus_content_length(client):
    response = client.generic("POST", "/admin/login/", b"", CONTENT_LENGTH="lots")

    assert response.status_code == 400


def test_it_keeps_the_body_limit_in_settings(settings):
    assert settings.FACTCHECK_MAX_BODY_BYTES == settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024


@pytest.mark.django_db
def test_it_refuses_an_overlong_claim_text(reviewer):
    with pytest.raises(ValidationError) as refused:
        services.create_claim(text="x" * 2001, by=reviewer)

    assert "text" in refused.value.message_dict
