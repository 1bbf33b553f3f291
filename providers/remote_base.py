"""Helpers the four remote adapters share: the HTTP client, keys, and error sentences.

Nothing here knows a provider's wire format; each adapter keeps its own in providers/wire/.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from core.config import Settings
from core.errors import ProviderError
from core.http import send_with_retry
from core.provider import JobContext

# A provider that has not answered in 30 s is treated as not answering (status calls are
# retried; the create call is not, and its outcome is then reported as unknown).
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
# Answers larger than this are not a task status: refuse them instead of parsing them.
MAX_ANSWER_BYTES = 4 * 1024 * 1024

AUDIO_SUFFIXES: tuple[str, ...] = (".mp3", ".wav", ".flac", ".ogg", ".m4a", ".aac", ".opus")
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".webp", ".gif")
VIDEO_SUFFIXES: tuple[str, ...] = (".mp4", ".webm", ".mov")


class LazyClient:
    """One httpx.AsyncClient per provider, made in the running event loop on first use.

    A client is bound to the loop that made it; when the provider is used from another loop
    (a test, or the app restarting its loop) a fresh client is made for that loop.
    """

    def __init__(self, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.is_closed or self._loop is not loop:
            self._client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is None or client.is_closed:
            return
        try:
            same_loop = self._loop is asyncio.get_running_loop()
        except RuntimeError:
            same_loop = False
        if same_loop:
            await client.aclose()


def setting_secret(settings: Settings, env_name: str) -> SecretStr | None:
    value = getattr(settings, env_name.lower(), None)
    if isinstance(value, SecretStr) and value.get_secret_value().strip():
        return value
    return None


def lookup_key(ctx: JobContext, settings: Settings, env_name: str) -> str | None:
    """The session's key when the user brought one, else the server's; None when neither.

    A job started with a visitor's own keys never falls back to the server's (`server_keys`).
    """
    session = ctx.credential(env_name)
    if session is not None and session.get_secret_value().strip():
        return session.get_secret_value().strip()
    if not ctx.server_keys:
        return None
    server = setting_secret(settings, env_name)
    return server.get_secret_value().strip() if server is not None else None


def keys_present(
    settings: Settings, credentials: Mapping[str, SecretStr], env_names: Iterable[str]
) -> bool:
    """Whether every key in `env_names` is set, by the session or by the server."""
    for name in env_names:
        session = credentials.get(name)
        if session is not None and session.get_secret_value().strip():
            continue
        if setting_secret(settings, name) is None:
            return False
    return True


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret value replaced, so it can be shown or logged."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def missing_key_error(label: str, env_names: Iterable[str]) -> ProviderError:
    names = ", ".join(env_names)
    return ProviderError(
        f"{label} is not configured: set {names} (or enter your own key in Settings).",
        retryable=False,
    )


def parse_json(response: httpx.Response, label: str, *, retryable: bool) -> Any:
    """The answer's JSON, or a ProviderError saying the answer was not readable."""
    if len(response.content) > MAX_ANSWER_BYTES:
        raise ProviderError(
            f"{label} sent an answer too large to be a task status.", retryable=retryable
        )
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise ProviderError(
            f"{label} answered with something that is not JSON (HTTP {response.status_code}).",
            retryable=retryable,
        ) from None


def try_json(response: httpx.Response) -> Any | None:
    """The answer's JSON, or None when it is not JSON (or too large to be an answer)."""
    if len(response.content) > MAX_ANSWER_BYTES:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def error_text(body: Any) -> str | None:
    """The human part of an error answer, whatever common shape it has."""
    if isinstance(body, str):
        return body.strip() or None
    if not isinstance(body, dict):
        return None
    for key in ("message", "msg", "errorMessage", "error_message", "detail", "error", "err_msg"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict):
            nested = error_text(value)
            if nested:
                return nested
    return None


def http_error(
    label: str, response: httpx.Response, body: Any = None, *, retryable: bool | None = None
) -> ProviderError:
    """A ProviderError for an HTTP error status, with the provider's own words if any."""
    code = response.status_code
    detail = error_text(body) if body is not None else None
    if code in (401, 403):
        what = f"{label} refused the key (HTTP {code}): check it in Settings."
        retry = False
    elif code == 404:
        what = f"{label} does not know this address (HTTP 404): check its base URL."
        retry = False
    elif code == 429:
        what = f"{label} is limiting our requests (HTTP 429); try again in a minute."
        retry = True
    elif code >= 500:
        what = f"{label} had a server error (HTTP {code}); try again later."
        retry = True
    else:
        what = f"{label} refused the request (HTTP {code})."
        retry = False
    if detail:
        what = f"{what} It said: {detail[:300]}"
    return ProviderError(what, retryable=retry if retryable is None else retryable)


def _describe_network(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "it did not answer in time"
    if isinstance(error, httpx.ConnectError):
        return "the connection was refused or the host was not found"
    return "the connection broke"


def _never_sent(error: httpx.HTTPError) -> bool:
    """True when the request surely did not reach the provider."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


class CreateOutcomeUnknown(ProviderError):
    """The create request was sent but no answer came: the task may exist (and be billed)."""


async def send_create(
    client: httpx.AsyncClient, method: str, url: str, *, label: str, **kwargs: Any
) -> httpx.Response:
    """Send the create call exactly once (a retry could bill twice)."""
    try:
        return await client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        if _never_sent(error):
            raise ProviderError(
                f"Could not reach {label} ({_describe_network(error)}); the task was not "
                "created. Try again in a moment.",
                retryable=True,
            ) from None
        raise CreateOutcomeUnknown(
            f"The request reached {label} but no answer came back ({_describe_network(error)}), "
            f"so the task may or may not have been created. Check your {label} account "
            "before trying again, so as not to pay twice.",
            retryable=False,
        ) from None


async def send_repeatable(
    client: httpx.AsyncClient, method: str, url: str, *, label: str, what: str, **kwargs: Any
) -> httpx.Response:
    """A status call or an upload, retried; a network failure becomes a retryable ProviderError."""
    try:
        return await send_with_retry(client, method, url, **kwargs)
    except httpx.HTTPError as error:
        raise ProviderError(
            f"Could not reach {label} to {what} ({_describe_network(error)}); will try again.",
            retryable=True,
        ) from None


def growing_delay(attempt: int, *, first_s: float, last_s: float, factor: float = 1.5) -> float:
    """A polling delay that starts at `first_s` and grows by `factor` up to `last_s`."""
    return min(last_s, first_s * factor ** max(0, attempt - 1))


def url_suffix(url: str) -> str:
    """The lower-case file suffix of a URL's path ('' when it has none)."""
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return f".{name.rsplit('.', 1)[-1].lower()}" if "." in name else ""


def is_http_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def file_name(url: str, default_stem: str, default_suffix: str, allowed: tuple[str, ...]) -> str:
    """A file name for a result: the URL's own name when it is sensible, else a default."""
    suffix = url_suffix(url)
    stem = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if suffix not in allowed:
        suffix = default_suffix
    if not stem or len(stem) > 80:
        stem = default_stem
    return f"{stem}{suffix}"


_SECRET_NAME_PARTS = ("authorization", "secret", "key", "token", "password")


def _is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_NAME_PARTS)


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("***" if _is_secret_name(str(k)) else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def wire_record(request: httpx.Request) -> dict[str, Any]:
    """The create call as sent, with every key masked: kept with the job for its run card."""
    headers = {
        name: ("***" if _is_secret_name(name) else value)
        for name, value in request.headers.items()
        if name.lower() not in ("content-length", "host", "accept-encoding", "connection")
    }
    body: Any = None
    content = request.content
    if content:
        try:
            body = _mask(json.loads(content))
        except ValueError:
            body = f"<{len(content)} bytes>"
    return {"method": request.method, "url": str(request.url), "headers": headers, "body": body}
