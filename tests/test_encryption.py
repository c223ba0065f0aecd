"""Tokens are encrypted at rest, readable by the app, and survive a key rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

import encryption
from extensions import db
from models import QuickBooksConnection, Shop
from tests.support import ENCRYPTION_KEY, make_test_app

SECRET = "shpat_0123456789abcdef-very-secret"


def add_shop_with_tokens() -> None:
    """A shop with a Shopify token and a QBO connection."""
    shop = Shop(shop_domain="enc.myshopify.com", shopify_access_token=SECRET)
    shop.quickbooks_connection = QuickBooksConnection(
        realm_id="9130", access_token="qbo-access-xyz", refresh_token="qbo-refresh-abc"
    )
    db.session.add(shop)
    db.session.commit()


def raw_tokens() -> list[str]:
    """The token columns exactly as the database stores them."""
    rows = db.session.execute(
        text(
            "SELECT shopify_access_token FROM shops UNION ALL "
            "SELECT access_token FROM quickbooks_connections UNION ALL "
            "SELECT refresh_token FROM quickbooks_connections"
        )
    )
    return [row[0] for row in rows]


def test_tokens_are_stored_encrypted_and_read_back_in_plaintext(app) -> None:
    add_shop_with_tokens()
    stored = raw_tokens()
    assert len(stored) == 3
    for value in stored:
        assert "secret" not in value and "qbo-" not in value
    db.session.expire_all()
    shop = db.session.query(Shop).one()
    assert shop.shopify_access_token == SECRET
    assert shop.quickbooks_connection.refresh_token == "qbo-refresh-abc"


def test_rotation_reencrypts_every_token_under_the_new_key(app, database_uri) -> None:
    add_shop_with_tokens()
    before = raw_tokens()
    db.session.remove()
    new_key = Fernet.generate_key().decode()
    rotated_app = make_test_app(database_uri, ENCRYPTION_KEY=f"{new_key},{ENCRYPTION_KEY}")
    with rotated_app.app_context():
        result = rotated_app.test_cli_runner().invoke(args=["rotate-encryption-key"])
        assert "re-encrypted 3 tokens" in result.output
        after = raw_tokens()
        assert set(after).isdisjoint(before)
        db.session.remove()
    only_new = make_test_app(database_uri, ENCRYPTION_KEY=new_key)
    with only_new.app_context():
        assert db.session.query(Shop).one().shopify_access_token == SECRET
        db.session.remove()
    encryption.init_app(app)


def test_a_dropped_key_gives_a_clear_error(app, database_uri) -> None:
    add_shop_with_tokens()
    db.session.remove()
    other = make_test_app(database_uri, ENCRYPTION_KEY=Fernet.generate_key().decode())
    with other.app_context():
        with pytest.raises(encryption.EncryptionKeyError, match="ENCRYPTION_KEY"):
            db.session.query(Shop).one()
        db.session.remove()
    encryption.init_app(app)


def test_each_app_keeps_its_own_keyring(app, database_uri) -> None:
    """The keyring lives on the app: another app with another key changes nothing for this one."""
    ours = encryption.encrypt(SECRET)
    other = make_test_app(database_uri, ENCRYPTION_KEY=Fernet.generate_key().decode())
    assert other.extensions["keyring"] is not app.extensions["keyring"]
    with other.app_context():
        with pytest.raises(encryption.EncryptionKeyError):
            encryption.decrypt(ours)
    assert encryption.decrypt(ours) == SECRET  # this app's context is back, with its key
    with app.test_request_context(), pytest.raises(encryption.EncryptionKeyError):
        app.extensions.pop("keyring")
        try:
            encryption.encrypt(SECRET)
        finally:
            encryption.init_app(app)
