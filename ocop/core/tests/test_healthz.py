import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_needs_no_database_access(client):
    """No `db` fixture here: any query would raise, so /healthz is independent of the database."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
