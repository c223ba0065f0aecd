"""One error path for the API: a QuickBooks or Shopify failure under /api/ answers one JSON
envelope, `{"error", "message", "errors"?}`, from the app's SyncError handler."""

from __future__ import annotations

import pytest

from app import sync_error_response
from clients.errors import AuthError, DataError, RetryableError, RetryReason, SyncError

SHOP = "errors.myshopify.com"


def test_each_kind_of_failure_has_its_status_and_code(app) -> None:
    with app.test_request_context("/api/lookups/items"):
        response, status = sync_error_response(
            AuthError("QuickBooks is not connected", "Connect QuickBooks first.")
        )
        assert status == 409 and response.get_json() == {
            "error": "reconnect",
            "message": "QuickBooks is not connected. Connect QuickBooks first.",
            "fix": "Connect QuickBooks first.",
        }
        response, status = sync_error_response(
            DataError("QuickBooks refused it", errors={"sales.income_account_id": "is inactive"})
        )
        assert status == 422 and response.get_json() == {
            "error": "rejected",
            "message": "QuickBooks refused it",
            "errors": {"sales.income_account_id": "is inactive"},
        }
        response, status = sync_error_response(
            RetryableError("Shopify throttled", retry_after=1.2, why=RetryReason.THROTTLED)
        )
        assert status == 503 and response.get_json()["error"] == "unavailable"
        assert response.headers["Retry-After"] == "2"
        response, status = sync_error_response(
            RetryableError("QuickBooks did not answer", why=RetryReason.NETWORK)
        )
        assert status == 503 and "Retry-After" not in response.headers
        assert sync_error_response(SyncError("odd"))[1] == 502


def test_only_api_requests_get_the_envelope(app) -> None:
    """Top-level pages render their own failures; one that escapes stays a server error."""

    def page() -> str:
        raise AuthError("refused")

    def api() -> str:
        raise RetryableError("QuickBooks did not answer", why=RetryReason.NETWORK)

    app.add_url_rule("/test-page", "test_page", page)
    app.add_url_rule("/api/test-api", "test_api", api)
    client = app.test_client()
    answer = client.get("/api/test-api")
    assert answer.status_code == 503 and answer.get_json() == {
        "error": "unavailable",
        "message": "QuickBooks did not answer",
    }
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/test-page").status_code == 500


def test_a_throttled_quickbooks_lookup_is_a_503(
    client, shopify_emulator, qbo_emulator, merchant, session_token
) -> None:
    assert merchant(SHOP).open_app().status_code == 200
    merchant(SHOP).connect_quickbooks()
    qbo_emulator.control("POST", "faults", throttle_burst=5).raise_for_status()
    response = client.get(
        "/api/lookups/classes", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )
    body = response.get_json()
    assert response.status_code == 503 and body["error"] == "unavailable", body
    assert "429" in body["message"] or "throttling" in body["message"]


@pytest.mark.parametrize("kind", ["items", "classes"])
def test_a_disconnected_company_asks_for_connecting(shopify_emulator, merchant, kind) -> None:
    assert merchant(SHOP).open_app().status_code == 200
    response = merchant(SHOP).api("GET", f"/api/lookups/{kind}")
    body = response.get_json()
    assert response.status_code == 409 and body["error"] == "reconnect"
    assert body["message"].endswith("Connect QuickBooks first.") and body["fix"]
