"""Provider callbacks: signed per-job URLs that wake a job up.

A callback only wakes the job's poller; the truth is still read with a status call, so a
forged, late or repeated callback can do no harm beyond an extra status call — and forged ones
are refused before even that, by the HMAC in the URL. The HMAC covers the provider too: a token
made for an Img Open job is refused on Suno's path.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import SecretStr

CALLBACK_PREFIX = "/callbacks"
_TOKEN_HEX = 32


def load_or_create_secret(
    configured: SecretStr | None, data_dir: Path, name: str = "callback.secret"
) -> bytes:
    """An HMAC key: configured, or made once and kept in the data folder (survives restarts)."""
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value().encode()
    path = data_dir / name
    if path.is_file():
        return path.read_bytes().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32).encode()
    path.write_bytes(value)
    path.chmod(0o600)
    return value


class CallbackSigner:
    """Makes and checks callback tokens; knows the base URL providers should call."""

    def __init__(
        self, secret: bytes, base_url: str | None = None, *, reachable: bool = False
    ) -> None:
        self._secret = secret
        self.base_url = base_url.rstrip("/") if base_url else None
        self.reachable = reachable

    def _mac(self, provider: str, job_id: str) -> str:
        # A newline cannot occur in a provider name or a job id: the pair is unambiguous.
        message = f"{provider}\n{job_id}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:_TOKEN_HEX]

    def token(self, provider: str, job_id: str) -> str:
        return f"{job_id}.{self._mac(provider, job_id)}"

    def job_for(self, provider: str, token: str) -> str | None:
        """The job id a token was made for on `provider`, or None for a forged or malformed
        token, or one made for another provider."""
        job_id, _, mac = token.rpartition(".")
        if not job_id or len(mac) != _TOKEN_HEX or "\n" in provider or "\n" in job_id:
            return None
        return job_id if hmac.compare_digest(self._mac(provider, job_id), mac) else None

    def url_for(self, provider: str, job_id: str) -> tuple[str | None, bool]:
        """(callback URL, whether the provider can reach it)."""
        if self.base_url is None:
            return None, False
        token = self.token(provider, job_id)
        return f"{self.base_url}{CALLBACK_PREFIX}/{provider}/{token}", self.reachable


def make_callback_route(
    signer: CallbackSigner,
    wake: Callable[[str], bool],
    exists: Callable[[str], bool],
    reply_for: Callable[[str], Mapping[str, object]],
) -> APIRoute:
    """`POST /callbacks/{provider}/{token}`: 403 for a forged or unknown token, or one made for
    another provider's job, else wake the job and answer `reply_for(provider)` (what that
    provider counts as a delivered callback)."""

    async def receive(provider: str, token: str, request: Request) -> JSONResponse:
        job_id = signer.job_for(provider, token)
        if job_id is None or not exists(job_id):
            return JSONResponse({"code": 403, "msg": "forbidden"}, status_code=403)
        await request.body()  # the payload is only a hint; the poller reads the truth
        wake(job_id)  # idempotent: a repeated callback just wakes an awake poller
        return JSONResponse(dict(reply_for(provider)))

    return APIRoute(CALLBACK_PREFIX + "/{provider}/{token}", receive, methods=["POST"])
