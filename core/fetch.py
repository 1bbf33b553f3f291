"""The one guarded fetcher for every URL the server itself fetches.

Visitor URLs (`image_url`, `upload_url`) and provider result files both come through here. The
rules: http and https only; the host is resolved once and every address it resolves to must be a
public internet address (unless the policy allows this machine's own networks, or names the URL's
origin); the connection goes to the address that was checked, so a second DNS answer cannot send
it elsewhere; every redirect is checked again; one deadline for the whole fetch, not per read;
a size cap while streaming; cancelling the caller ends the fetch at once and leaves no file.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from functools import cache
from pathlib import Path
from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.config import Settings
from core.messages import Message, Text, msg

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
FetchFailure = Literal["refused", "too_big", "deadline", "unreachable"]

MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Per address: a host with several addresses gets to try the next one within the deadline.
CONNECT_TIMEOUT_S = 10.0
CHUNK_BYTES = 1 << 16
SHOWN_URL_CHARS = 80
DEFAULT_PORTS = {"http": 80, "https": 443}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Checked in this order, so an address is named by its most telling kind.
_NOT_PUBLIC: tuple[tuple[str, Message], ...] = (
    ("is_unspecified", msg("address_unspecified")),
    ("is_loopback", msg("address_loopback")),
    ("is_link_local", msg("address_link_local")),
    ("is_multicast", msg("address_multicast")),
    ("is_reserved", msg("address_reserved")),
    ("is_private", msg("address_private")),
)
NOT_GLOBAL = msg("address_not_global")


class FetchError(Exception):
    """A fetch that did not happen or did not finish; `message` is safe to show a user
    (`sentence` is its English)."""

    def __init__(
        self,
        kind: FetchFailure,
        message: Message,
        *,
        declared_bytes: int | None = None,
        cause: BaseException | None = None,
    ) -> None:
        self.kind = kind
        self.message = message
        self.sentence = str(message)
        self.declared_bytes = declared_bytes
        self.cause = cause
        super().__init__(self.sentence)


class FetchPolicy(BaseModel):
    """What one kind of fetch may reach, for how long and how much."""

    model_config = ConfigDict(frozen=True)

    # True on one's own machine (local mode): this machine's and its network's URLs work.
    allow_private: bool = False
    # Origins ("http://127.0.0.1:8790") fetched even when not public: the sandbox emulators.
    allowed_origins: frozenset[str] = frozenset()
    deadline_s: float = Field(60.0, gt=0)
    max_bytes: int = Field(gt=0)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        if isinstance(value, str | bytes):
            raise ValueError("allowed_origins is a set of origins, not one string")
        return frozenset(origin_of(httpx.URL(str(item))) for item in value)  # type: ignore[union-attr]

    @classmethod
    def for_visitor_urls(
        cls, settings: Settings, allowed_origins: frozenset[str] = frozenset()
    ) -> FetchPolicy:
        """URLs a visitor gives for the server to fetch: capped like an upload.
        `allowed_origins`: the sandbox's emulators (providers.declarations.sandbox_origins)."""
        return cls(
            allow_private=not settings.public_mode,
            allowed_origins=allowed_origins,
            deadline_s=settings.studio_fetch_timeout_s,
            max_bytes=settings.max_upload_bytes,
        )

    @classmethod
    def for_results(
        cls, settings: Settings, allowed_origins: frozenset[str] = frozenset()
    ) -> FetchPolicy:
        """Result and preview files a provider points at."""
        return cls(
            allow_private=not settings.public_mode,
            allowed_origins=allowed_origins,
            deadline_s=settings.studio_download_timeout_s,
            max_bytes=settings.studio_max_download_mb * 1_000_000,
        )

    def allows_origin(self, url: httpx.URL) -> bool:
        return self.allow_private or origin_of(url) in self.allowed_origins


def origin_of(url: httpx.URL) -> str:
    port = url.port or DEFAULT_PORTS.get(url.scheme, 0)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}:{port}"


def shown_url(url: str | httpx.URL) -> str:
    """The URL as a user sees it in a sentence: no query, no fragment, no user info, short."""
    text = str(url)
    try:
        parsed = httpx.URL(text)
        text = str(parsed.copy_with(query=None, fragment=None, userinfo=b""))
    except (httpx.InvalidURL, ValueError, TypeError):
        text = text.split("?")[0].split("#")[0]
    return text if len(text) <= SHOWN_URL_CHARS else f"{text[: SHOWN_URL_CHARS - 1]}…"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one actually reaches (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def not_public_reason(address: IPAddress) -> Message | None:
    """Why `address` is not a public internet address (a phrase after it), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = not_public_reason(inner)
            return (
                None if reason is None else msg("address_leads_to", inner=str(inner), reason=reason)
            )
    for attribute, phrase in _NOT_PUBLIC:
        if getattr(address, attribute):
            return phrase
    if not address.is_global:
        return NOT_GLOBAL
    return None


def _shown(address: IPAddress) -> str:
    # Python writes ::ffff:127.0.0.1 as ::ffff:7f00:1; show it as the visitor likely wrote it.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs 40-150 ms: once per process, not once per fetch.
    return httpx.create_ssl_context()


async def fetch_to_file(
    url: str,
    target: Path,
    policy: FetchPolicy,
    *,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response:
    """Stream `url` into `target` under `policy`; the final (closed) response comes back.

    A final answer of HTTP 400 or more is returned without its body and without a file: the
    caller turns it into its own sentence. Everything else that goes wrong raises FetchError;
    cancelling the caller cancels the fetch. In both cases `target` does not exist afterwards.
    """
    # A task of its own and asyncio.wait rather than asyncio.wait_for: on Python 3.11
    # wait_for can swallow a cancellation racing completion, and Stop must always stop.
    work = asyncio.ensure_future(_fetch(url, target, policy, client))
    try:
        done, _ = await asyncio.wait({work}, timeout=policy.deadline_s)
        if not done:
            await _end(work)
    except asyncio.CancelledError:
        try:
            await _end(work)
        finally:
            target.unlink(missing_ok=True)
        raise
    if work.cancelled():
        target.unlink(missing_ok=True)
        seconds = f"{policy.deadline_s:g}"
        raise FetchError("deadline", msg("fetch_deadline", url=shown_url(url), seconds=seconds))
    return work.result()


async def _end(work: asyncio.Future[httpx.Response]) -> None:
    """Cancel the fetch and wait for it to let go of its connection and file."""
    work.cancel()
    await asyncio.wait({work})


class _Hop:
    """Where the fetch is: the URL given and the one being fetched now (after redirects)."""

    def __init__(self, first: str) -> None:
        self.first = first
        self.url: httpx.URL | None = None
        self.redirects = 0

    @property
    def subject(self) -> Text:
        """The URL a sentence is about: the one given, and where it redirected if it did."""
        if self.url is None or self.redirects == 0:
            return shown_url(self.first)
        return msg("fetch_redirected", first=shown_url(self.first), url=shown_url(self.url))

    def refused(self, why: Message) -> FetchError:
        return FetchError("refused", msg("fetch_refused", subject=self.subject, why=why))

    def unreachable(self, why: Message, cause: BaseException | None = None) -> FetchError:
        sentence = msg("fetch_unreachable", subject=self.subject, why=why)
        return FetchError("unreachable", sentence, cause=cause)


async def _fetch(
    url: str, target: Path, policy: FetchPolicy, client: httpx.AsyncClient | None
) -> httpx.Response:
    owned = client is None
    http = client or httpx.AsyncClient(verify=_tls_context())
    hop = _Hop(url)
    try:
        hop.url = _parse(url, hop)
        while True:
            addresses = await _resolve(hop, policy)
            response = await _connect(http, hop.url, addresses)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_CODES and location:
                    if hop.redirects == MAX_REDIRECTS:
                        raise hop.refused(msg("fetch_too_many_redirects", most=MAX_REDIRECTS))
                    hop.url = _next_hop(hop, location)
                    continue
                if response.status_code < 400:
                    await _save(response, target, policy, hop.subject)
                return response
            finally:
                await response.aclose()
    except httpx.HTTPError as error:
        target.unlink(missing_ok=True)
        raise hop.unreachable(msg("fetch_server_silent"), error) from None
    finally:
        if owned:
            await http.aclose()


def _parse(url: str, hop: _Hop) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise hop.refused(msg("fetch_not_a_url")) from None
    if parsed.scheme not in DEFAULT_PORTS:
        raise hop.refused(msg("fetch_only_http"))
    if not parsed.host:
        raise hop.refused(msg("fetch_no_host"))
    if parsed.userinfo:
        raise hop.refused(msg("fetch_userinfo"))
    return parsed


def _next_hop(hop: _Hop, location: str) -> httpx.URL:
    assert hop.url is not None
    try:
        joined = hop.url.join(location)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise hop.refused(msg("fetch_bad_redirect")) from None
    hop.url = joined  # a refusal names where it was sent
    hop.redirects += 1
    return _parse(str(joined), hop)


async def _resolve(hop: _Hop, policy: FetchPolicy) -> list[IPAddress]:
    """Every address the host resolves to, each checked; the connection uses these, no others."""
    url = hop.url
    assert url is not None
    host = url.raw_host.decode("ascii")
    port = url.port or DEFAULT_PORTS[url.scheme]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise hop.unreachable(msg("fetch_host_not_found")) from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise hop.unreachable(msg("fetch_host_not_found"))
    if not policy.allows_origin(url):
        for address in addresses:
            reason = not_public_reason(address)
            if reason is not None:
                shown = _shown(address)
                raise hop.refused(msg("fetch_not_public", address=shown, reason=reason))
    return addresses


async def _connect(
    http: httpx.AsyncClient, url: httpx.URL, addresses: list[IPAddress]
) -> httpx.Response:
    """GET `url` from the first checked address that takes the connection."""
    extensions = {"sni_hostname": url.raw_host.decode("ascii")} if url.scheme == "https" else {}
    # A connection of its own, closed after the answer: one pooled for another host name at
    # the same address (its certificate naming that other host) must never carry this request.
    headers = {"Host": url.netloc.decode("ascii"), "Connection": "close"}
    # Connect only; the whole fetch is bounded by the policy's deadline, not each read.
    timeout = httpx.Timeout(None, connect=CONNECT_TIMEOUT_S)
    last: httpx.HTTPError | None = None
    for address in addresses:
        request = http.build_request(
            "GET",
            url.copy_with(host=str(address)),
            headers=headers,
            extensions=extensions,
            timeout=timeout,
        )
        try:
            return await http.send(request, stream=True, follow_redirects=False)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            last = error
    assert last is not None  # _resolve never returns an empty list
    raise last


async def _save(response: httpx.Response, target: Path, policy: FetchPolicy, subject: Text) -> None:
    limit = msg("fetch_limit", mb=f"{policy.max_bytes / 1e6:g}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        mb = f"{int(declared) / 1e6:.0f}"
        raise FetchError(
            "too_big",
            msg("fetch_too_big_declared", subject=subject, mb=mb, limit=limit),
            declared_bytes=int(declared),
        )
    size = 0
    try:
        with target.open("wb") as handle:
            async for chunk in response.aiter_bytes(CHUNK_BYTES):
                size += len(chunk)
                if size > policy.max_bytes:
                    raise FetchError("too_big", msg("fetch_too_big", subject=subject, limit=limit))
                handle.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
