"""What the remote adapters share: the HTTP client, keys, the request helper and error messages.

`RemoteProvider` is the base of every remote adapter: it takes the provider's name, label,
capabilities, keys and polling schedule from its declaration (providers/declarations.py), and
sends requests the one safe way (a create exactly once, a status call retried), checking each
answer's size and JSON. Nothing here knows a provider's wire format; each adapter keeps its own
in providers/wire/ and words its errors in `refusal`, its error hook.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.http import send_with_retry
from core.messages import Message, msg
from core.provider import JobContext, TaskHandle
from core.recording import RecordingClient, noted
from core.requests import Capability, StudioRequest
from core.transcript import mask_headers, mask_named, mask_url
from providers.declarations import Declaration, Polling

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
            # Each call lands in the transcript of the job sending it (core/recording.py).
            self._client = RecordingClient(timeout=self._timeout, follow_redirects=False)
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


def is_configured(
    declaration: Declaration, settings: Settings, credentials: Mapping[str, SecretStr]
) -> bool:
    """Whether a provider can be called: its main address is set and every key is present."""
    main = declaration.main_address
    if main is not None and not str(getattr(settings, main.setting, None) or "").strip():
        return False
    return keys_present(settings, credentials, declaration.credential_fields)


def missing_key_error(label: str, env_names: Iterable[str]) -> ProviderError:
    names = ", ".join(env_names)
    return ProviderError(msg("provider_not_configured", provider=label, names=names))


def parse_json(response: httpx.Response, label: str, *, retryable: bool) -> Any:
    """The answer's JSON, or a ProviderError saying the answer was not readable."""
    if len(response.content) > MAX_ANSWER_BYTES:
        raise ProviderError(msg("provider_answer_too_large", provider=label), retryable=retryable)
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise ProviderError(
            msg("provider_answer_not_json", provider=label, code=response.status_code),
            retryable=retryable,
        ) from None


def unreadable(label: str, *, retryable: bool) -> ProviderError:
    """An answer that is JSON but not in the shape the provider documents."""
    return ProviderError(msg("provider_answer_unreadable", provider=label), retryable=retryable)


def unreadable_status(label: str) -> ProviderError:
    return ProviderError(msg("provider_status_unreadable", provider=label), retryable=True)


def provider_said(what: Message, said: str | None) -> Message:
    """`what`, followed by the provider's own words when it gave any (kept as they are)."""
    said = (said or "").strip()
    return msg("provider_said", what=what, said=said[:300]) if said else what


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
        key, retry = "provider_http_refused_key", False
    elif code == 404:
        key, retry = "provider_http_unknown_address", False
    elif code == 429:
        key, retry = "provider_http_rate_limited", True
    elif code >= 500:
        key, retry = "provider_http_server_error", True
    else:
        key, retry = "provider_http_refused", False
    what = provider_said(msg(key, provider=label, code=code), detail)
    return ProviderError(what, retryable=retry if retryable is None else retryable)


def _describe_network(error: httpx.HTTPError) -> Message:
    if isinstance(error, httpx.TimeoutException):
        return msg("provider_network_timeout")
    if isinstance(error, httpx.ConnectError):
        return msg("provider_network_refused")
    return msg("provider_network_broken")


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
        with noted(role="create"):
            return await client.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        why = _describe_network(error)
        if _never_sent(error):
            raise ProviderError(
                msg("provider_create_not_sent", provider=label, why=why), retryable=True
            ) from None
        raise CreateOutcomeUnknown(
            msg("provider_create_outcome_unknown", provider=label, why=why), retryable=False
        ) from None


async def send_repeatable(
    client: httpx.AsyncClient, method: str, url: str, *, label: str, what: Message, **kwargs: Any
) -> httpx.Response:
    """A status call or an upload, retried; a network failure becomes a retryable ProviderError.

    `what` is what the call was for, e.g. msg("provider_to_check_task").
    """
    try:
        return await send_with_retry(client, method, url, **kwargs)
    except httpx.HTTPError as error:
        raise ProviderError(
            msg(
                "provider_call_not_answered",
                provider=label,
                what=what,
                why=_describe_network(error),
            ),
            retryable=True,
        ) from None


def not_served(label: str, request: StudioRequest) -> InvalidRequest:
    return InvalidRequest(
        "capability",
        msg("provider_does_not_serve", provider=label, capability=request.capability),
    )


R = TypeVar("R", bound=StudioRequest)


@dataclass(frozen=True)
class Refused:
    """An HTTP error answer, for a provider's error hook: `answer` is its JSON (None when it
    has none), `secrets` the job's keys, which the provider's words must not show."""

    response: httpx.Response
    answer: Any
    retryable: bool
    secrets: tuple[str, ...] = ()


class RemoteProvider:
    """The base of every remote adapter: what it is comes from its declaration, and its calls
    go through one request helper.

    A subclass sets `declaration`, implements `submit` and `status`, and overrides `refusal`
    when the provider words its HTTP errors in a shape of its own.
    """

    declaration: Declaration
    name: str
    label: str
    capabilities: frozenset[Capability]
    # What a job resumed after a restart must be offered.
    credential_fields: tuple[str, ...]
    polling: Polling
    resubmit_safe = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.declaration
        cls.name = declared.name
        cls.label = declared.label
        cls.capabilities = declared.capabilities
        cls.credential_fields = declared.credential_fields
        cls.polling = declared.polling

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._settings = settings
        self._http = LazyClient(timeout)

    def address(self, index: int = 0) -> str:
        """The declared base URL number `index`, without a trailing slash ("" when unset)."""
        value = getattr(self._settings, self.declaration.addresses[index].setting, None)
        return str(value or "").strip().rstrip("/")

    def addresses_in_use(self) -> dict[str, str]:
        """Every base URL that is set, by env name: a transcript notes them (core/recording.py)
        so that a replay of it can say how to point the studio at itself."""
        found = {a.env: self.address(i) for i, a in enumerate(self.declaration.addresses)}
        return {env: url for env, url in found.items() if url}

    def check(self, request: StudioRequest) -> None:
        """What this provider cannot take, refused before any network call; by default only a
        capability it does not serve. Adapters with limits of their own extend it."""
        if request.capability not in self.capabilities:
            raise not_served(self.label, request)

    def served(self, request: StudioRequest, kind: type[R]) -> R:
        """`request` as the one request type this adapter serves, or InvalidRequest."""
        if not isinstance(request, kind):
            raise not_served(self.label, request)
        return request

    def keys(self, ctx: JobContext) -> tuple[str, ...]:
        """The job's keys in declared order (its session's, else the server's), or a
        ProviderError naming what to set."""
        found = [lookup_key(ctx, self._settings, name) for name in self.credential_fields]
        keys = tuple(key for key in found if key)
        if len(keys) != len(found):
            raise missing_key_error(self.label, self.credential_fields)
        return keys

    async def create_call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """The create call, sent exactly once (a retry could bill twice)."""
        return await send_create(self._http.get(), method, url, label=self.label, **kwargs)

    async def repeat_call(
        self, method: str, url: str, *, what: Message | None = None, **kwargs: Any
    ) -> httpx.Response:
        """A call that is safe to repeat (a status, an upload, a lookup), retried."""
        what = what if what is not None else msg("provider_to_check_task")
        return await send_repeatable(
            self._http.get(), method, url, label=self.label, what=what, **kwargs
        )

    def answer(
        self, response: httpx.Response, *, retryable: bool, secrets: Sequence[str] = ()
    ) -> Any:
        """An answer's JSON (size and syntax checked); an HTTP error status becomes the
        provider's `refusal`. Bad keys do not get better by asking again."""
        answer = try_json(response)
        if response.status_code >= 400:
            retry = retryable and response.status_code not in (401, 403)
            raise self.refusal(Refused(response, answer, retry, tuple(secrets)))
        if answer is None:
            return parse_json(response, self.label, retryable=retryable)
        return answer

    def refusal(self, refused: Refused) -> ProviderError:
        """The error hook: an HTTP error answer as a ProviderError (the provider's words, if
        any, quoted)."""
        return http_error(self.label, refused.response, refused.answer, retryable=refused.retryable)

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        # No remote provider documents a way to stop a task: the job just stops following it.
        return None

    def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
        return self.polling.delay(elapsed_s, eta_s)

    async def aclose(self) -> None:
        await self._http.aclose()


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


def wire_record(request: httpx.Request) -> dict[str, Any]:
    """The create call as sent, with every key masked (by name, as in the transcript): kept
    with the job for its run card."""
    shown = [
        (name, value)
        for name, value in request.headers.multi_items()
        if name.lower() not in ("content-length", "host", "accept-encoding", "connection")
    ]
    headers = mask_headers(shown, _as_is)
    body: Any = None
    content = request.content
    if content:
        try:
            body = mask_named(json.loads(content))
        except ValueError:
            body = f"<{len(content)} bytes>"
    url = mask_url(str(request.url), _as_is)
    return {"method": request.method, "url": url, "headers": headers, "body": body}


def _as_is(value: Any) -> Any:
    # The job's key values are scrubbed where the record is stored; here only names count.
    return value
