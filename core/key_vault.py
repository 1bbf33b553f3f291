"""Seals a session's keys for "remember my keys in this browser".

The browser keeps only a Fernet token (AES-128-CBC + HMAC-SHA256) made with a key derived from
STUDIO_BROWSER_SECRET, which stays on the server: nothing a browser receives can open it, and
a token altered, made by another server or in another format opens to nothing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import SecretStr

# Fixed and public on purpose: the secret is what must stay unknown. HKDF (not a slow KDF):
# the operator's secret is a long random string, and opening a blob happens on every page load.
_SALT = b"aigc-studio/key-vault"
_INFO = b"remembered session keys v1"
_PREFIX = "v1."
# Far more than every provider's keys together; stops a crafted blob from costing anything.
MAX_BLOB_CHARS = 16_384


class KeyVault:
    def __init__(self, secret: SecretStr | str) -> None:
        raw = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if not raw.strip():
            raise ValueError("the key vault needs a non-empty secret")
        derived = HKDF(algorithm=SHA256(), length=32, salt=_SALT, info=_INFO).derive(
            raw.strip().encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, keys: Mapping[str, str]) -> str:
        """An opaque text for the browser to keep."""
        payload = json.dumps(dict(keys), separators=(",", ":"), sort_keys=True).encode()
        return _PREFIX + self._fernet.encrypt(payload).decode("ascii")

    def open(self, blob: object) -> dict[str, str] | None:
        """The keys `seal` put in, or None for anything else (never an exception)."""
        if not isinstance(blob, str) or not blob.startswith(_PREFIX):
            return None
        if len(blob) > MAX_BLOB_CHARS:
            return None
        try:
            payload = self._fernet.decrypt(blob.removeprefix(_PREFIX).encode("ascii"))
            keys = json.loads(payload)
        except (InvalidToken, UnicodeError, ValueError):
            return None
        if not isinstance(keys, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
            return None
        return keys
