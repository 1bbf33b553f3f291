"""A cheap "is anybody there?" check of a provider's address, with no key and no side effect.

Any HTTP answer, even 401 or 404, means the server is reachable: the check is about the network
path, not about the keys. Only a refused connection, a DNS failure, a TLS failure or a timeout
counts as unreachable. Redirects are not followed, so a check never leaves the given host.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from core.messages import Message, msg

DEFAULT_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Reachability:
    url: str
    reachable: bool
    status: int | None
    elapsed_ms: float
    detail: Message


def display_url(url: str | None) -> str:
    """The address as safe to show: no user:password, no query string, no fragment."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


async def check(
    url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S, client: httpx.AsyncClient | None = None
) -> Reachability:
    """One GET to `url` (shown without credentials) within `timeout_s`, whatever it answers."""
    shown = display_url(url)
    if not shown or urlsplit(shown).scheme not in ("http", "https"):
        return Reachability(shown, False, None, 0.0, msg("reach_not_http"))
    started = time.monotonic()
    try:
        if client is None:
            async with httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as own:
                response = await own.get(shown, timeout=timeout_s)
        else:
            response = await client.get(shown, timeout=timeout_s, follow_redirects=False)
    except httpx.TimeoutException:
        timeout = msg("reach_timeout", seconds=f"{timeout_s:g}")
        return Reachability(shown, False, None, _ms(started), timeout)
    except httpx.HTTPError as error:
        return Reachability(shown, False, None, _ms(started), _reason(error))
    return Reachability(shown, True, response.status_code, _ms(started), msg("reach_answered"))


async def check_all(
    urls: Mapping[str, str | None], *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> dict[str, Reachability | None]:
    """Every address at once (so the slowest one bounds the wait); None where no address is set."""
    async with httpx.AsyncClient(timeout=timeout_s, follow_redirects=False) as client:
        names = [name for name, url in urls.items() if url]
        results = await asyncio.gather(
            *(check(urls[name] or "", timeout_s=timeout_s, client=client) for name in names)
        )
    found: dict[str, Reachability | None] = dict.fromkeys(urls)
    found.update(zip(names, results, strict=True))
    return found


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000.0


def _reason(error: httpx.HTTPError) -> Message:
    if isinstance(error, httpx.ConnectError):
        return msg("reach_connect_failed")
    if isinstance(error, httpx.UnsupportedProtocol):
        return msg("reach_not_http")
    return msg("reach_network_error", error=type(error).__name__)
