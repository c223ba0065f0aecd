"""Encryption at rest for OAuth tokens: Fernet keys from ENCRYPTION_KEY, rotation with MultiFernet.

ENCRYPTION_KEY holds one or more Fernet keys separated by commas. The first key encrypts; every key
decrypts. To rotate: put a new key first, keep the old ones after it, deploy, run
`flask rotate-encryption-key` (re-encrypts every token with the first key), then drop the old keys.

The keyring belongs to the app (`app.extensions["keyring"]`), not to the process: two apps with
different keys (a test rotating keys, a script opening two databases) never share one.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app, has_app_context
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from config_errors import ConfigError

EXTENSION = "keyring"  # the app.extensions key of the app's MultiFernet


class EncryptionKeyError(RuntimeError):
    """ENCRYPTION_KEY is missing, malformed, or cannot decrypt a stored value."""


def parse_keys(raw: str) -> MultiFernet:
    """Turn 'key1,key2' into a MultiFernet; the first key encrypts, all decrypt."""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        raise ConfigError("ENCRYPTION_KEY is not set")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            "ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), comma separated; "
            'make one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from exc


def init_app(app: Flask) -> None:
    """Load the app's keyring from its ENCRYPTION_KEY onto the app (a later call reloads it)."""
    app.extensions[EXTENSION] = parse_keys(str(app.config["ENCRYPTION_KEY"]))


def keyring() -> MultiFernet:
    """The current app's keyring, or a clear error outside an app or before `init_app`."""
    ring = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if ring is None:
        raise EncryptionKeyError(
            "encryption is not initialised: use the tokens inside an app context of create_app"
        )
    return ring


def encrypt(plaintext: str) -> str:
    """Encrypt a secret with the primary key."""
    return keyring().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """Decrypt a secret with any configured key."""
    try:
        return keyring().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "a stored token cannot be decrypted with ENCRYPTION_KEY: was a key dropped too soon?"
        ) from exc


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted; Python sees plaintext, the database only ciphertext."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt on the way in."""
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Decrypt on the way out."""
        return None if value is None else decrypt(value)
