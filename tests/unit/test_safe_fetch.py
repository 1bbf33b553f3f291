"""The guarded fetcher (core/fetch.py), against real servers on 127.0.0.1.

A recording server stands for this machine's own services: in public mode it must never see a
request, whatever form of its address a visitor writes or a redirect leads to. Then the address
classifier alone, the deadline, Stop, the size cap, result downloads, the offline provider (a
slow URL holds no engine worker), and a public studio end to end.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client.exceptions import AppError
from PIL import Image

from core.config import Settings
from core.errors import ProviderError
from core.fetch import NOT_GLOBAL, FetchError, FetchPolicy, fetch_to_file
from core.fetch import not_public_reason as reason
from core.media import UploadLimits, download
from core.provider import JobContext, TaskState, TaskStatus
from core.requests import ExtendMusicRequest, ImageToMusicRequest, TextToMusicRequest
from core.workers import WorkerPool
from providers.declarations import sandbox_origins
from providers.offline.provider import OfflineProvider
from tests.local_http import Answer, Script, serve
from tests.studio_server import RunningStudio, free_port, launch_studio

PUBLIC_ONLY = FetchPolicy(max_bytes=1_000_000, deadline_s=10)
ON_THIS_MACHINE = FetchPolicy(allow_private=True, max_bytes=1_000_000, deadline_s=10)
# Every way of writing this machine's loopback address that the OS would connect to.
LOOPBACK_FORMS = (
    "http://127.0.0.1:{port}/pic.png",
    "http://localhost:{port}/pic.png",
    "http://0.0.0.0:{port}/pic.png",
    "http://2130706433:{port}/pic.png",
    "http://127.1:{port}/pic.png",
    "http://[::ffff:127.0.0.1]:{port}/pic.png",
)
LOOPBACK_REFUSAL = "its address 127.0.0.1 is on this server's own network (loopback)"
REFUSAL_TAIL = "the studio fetches only public internet addresses"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (240, 200, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class Recorder:
    script: Script
    port: int

    def url(self, form: str) -> str:
        return form.format(port=self.port)

    @property
    def hits(self) -> int:
        return sum(self.script.calls.values())


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    script = Script(answers={"/pic.png": [Answer(body=png_bytes())]})
    with serve(script) as base:
        yield Recorder(script, int(base.rsplit(":", 1)[1]))


@dataclass
class Hand:
    """A server whose every answer is written by `answer(handler)`; it keeps the Host headers."""

    base: str
    hosts: list[str] = field(default_factory=list)


@contextmanager
def hand_server(answer: object, *, tls: ssl.SSLContext | None = None) -> Iterator[Hand]:
    stop = threading.Event()
    hand = Hand(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hand.hosts.append(self.headers.get("Host", ""))
            try:
                answer(self, stop)  # type: ignore[operator]
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "http" if tls is None else "https"
    hand.base = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    try:
        yield hand
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def serve_png(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    body = png_bytes()
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def dribble(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """One byte a second: each read is quick, the whole never ends."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(1000):
        if stop.wait(1.0):
            return
        handler.wfile.write(b"x")
        handler.wfile.flush()


def endless_undeclared(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """A body with no Content-Length (read until the connection closes) that is too big."""
    handler.send_response(200)
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"\x89PNG" + b"0" * 10_000)
    handler.close_connection = True


def os_can_connect(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family) as probe:
            probe.settimeout(2)
            probe.connect((host, port))
    except OSError:
        return False
    return True


# ------------------------------------------------------------------ the address classifier
@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", str(NOT_GLOBAL)),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("ff00::1", "multicast"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "leads to 127.0.0.1, which is on this server's own network"),
        ("::ffff:10.0.0.1", "leads to 10.0.0.1, which is on a private network"),
        ("64:ff9b::7f00:1", "leads to 127.0.0.1"),
        ("2002:7f00:1::", "leads to 127.0.0.1"),
        ("2002:a9fe:a9fe::", "leads to 169.254.169.254, which is link-local"),
        ("::7f00:1", "reserved"),
    ],
)
def test_addresses_that_are_not_public_are_named(address: str, expected: str) -> None:
    found = reason(ipaddress.ip_address(address))
    assert found is not None, f"{address} must not be fetched for a visitor"
    assert expected in str(found)


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "172.32.0.1",
        "100.128.0.1",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert reason(ipaddress.ip_address(address)) is None


# ------------------------------------------------------------------ never touching this machine
@pytest.mark.parametrize("form", LOOPBACK_FORMS)
async def test_public_policy_never_reaches_this_machine(
    form: str, recorder: Recorder, tmp_path: Path
) -> None:
    target = tmp_path / "got.png"
    with pytest.raises(FetchError) as caught:
        await fetch_to_file(recorder.url(form), target, PUBLIC_ONLY)
    assert caught.value.kind == "refused"
    assert "was refused: its address" in caught.value.sentence
    assert "127.0.0.1" in caught.value.sentence or "0.0.0.0" in caught.value.sentence
    assert REFUSAL_TAIL in caught.value.sentence
    assert recorder.hits == 0
    assert not target.exists()


@pytest.mark.parametrize("form", LOOPBACK_FORMS)
async def test_the_same_forms_do_reach_it_when_this_machine_is_allowed(
    form: str, recorder: Recorder, tmp_path: Path
) -> None:
    # The control: each form really leads to the recorder, so zero hits above means refused.
    host = httpx.URL(recorder.url(form)).host
    if not os_can_connect(socket.getaddrinfo(host, None)[0][4][0], recorder.port):
        pytest.skip(f"this machine cannot connect to {host} at all")
    target = tmp_path / "got.png"
    response = await fetch_to_file(recorder.url(form), target, ON_THIS_MACHINE)
    assert response.status_code == 200
    assert target.read_bytes() == png_bytes()
    assert recorder.hits == 1


@pytest.mark.parametrize("form", LOOPBACK_FORMS)
async def test_a_redirect_to_this_machine_is_refused(
    form: str, recorder: Recorder, tmp_path: Path
) -> None:
    script = Script(answers={"/go": [Answer(status=302, headers={"Location": recorder.url(form)})]})
    with serve(script) as redirector:
        # The redirector's own origin is allowed (as the sandbox emulators are); the recorder's
        # is not, though it is the same host on another port.
        policy = FetchPolicy(max_bytes=1_000_000, deadline_s=10, allowed_origins={redirector})
        with pytest.raises(FetchError) as caught:
            await fetch_to_file(f"{redirector}/go", tmp_path / "got.png", policy)
    assert script.calls == {"/go": 1}
    assert caught.value.kind == "refused"
    assert f"{redirector}/go (redirected to " in caught.value.sentence
    assert "was refused: its address" in caught.value.sentence
    assert recorder.hits == 0


async def test_an_allowed_origin_does_not_open_its_host(recorder: Recorder, tmp_path: Path) -> None:
    other = free_port()
    policy = FetchPolicy(max_bytes=1000, allowed_origins={f"http://127.0.0.1:{other}"})
    with pytest.raises(FetchError, match="was refused"):
        await fetch_to_file(recorder.url(LOOPBACK_FORMS[0]), tmp_path / "x", policy)
    assert recorder.hits == 0


async def test_an_open_and_a_closed_port_are_refused_in_the_same_words(
    recorder: Recorder, tmp_path: Path
) -> None:
    closed = free_port()
    sentences = []
    for port in (recorder.port, closed):
        with pytest.raises(FetchError) as caught:
            await fetch_to_file(f"http://127.0.0.1:{port}/x", tmp_path / "x", PUBLIC_ONLY)
        sentences.append(caught.value.sentence.replace(str(port), "PORT"))
    assert sentences[0] == sentences[1]
    assert sentences[0] == (
        f"http://127.0.0.1:PORT/x was refused: {LOOPBACK_REFUSAL}; {REFUSAL_TAIL}"
    )
    assert recorder.hits == 0


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://127.0.0.1/x", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:secret@example.com/x", "user name or password"),
    ],
)
async def test_other_schemes_and_credentials_in_urls_are_refused(
    url: str, why: str, tmp_path: Path
) -> None:
    with pytest.raises(FetchError) as caught:
        await fetch_to_file(url, tmp_path / "x", ON_THIS_MACHINE)
    assert caught.value.kind == "refused"
    assert why in caught.value.sentence
    assert "secret" not in caught.value.sentence


async def test_redirects_are_followed_five_times_at_most(tmp_path: Path) -> None:
    script = Script(
        answers={
            **{f"/{i}": [Answer(status=302, headers={"Location": f"/{i + 1}"})] for i in range(20)},
            "/5": [Answer(body=png_bytes())],
        }
    )
    with serve(script) as base:
        await fetch_to_file(f"{base}/0", tmp_path / "five.png", ON_THIS_MACHINE)
        assert (tmp_path / "five.png").read_bytes() == png_bytes()
        with pytest.raises(FetchError, match="redirects more than 5 times"):
            await fetch_to_file(f"{base}/6", tmp_path / "six.png", ON_THIS_MACHINE)
    # The given URL and five redirects were fetched; the sixth redirect was not followed.
    assert [script.calls.get(f"/{i}", 0) for i in range(6, 13)] == [1, 1, 1, 1, 1, 1, 0]


async def test_the_connection_keeps_the_host_name(tmp_path: Path) -> None:
    with hand_server(serve_png) as hand:
        port = hand.base.rsplit(":", 1)[1]
        await fetch_to_file(f"http://localhost:{port}/a.png", tmp_path / "a.png", ON_THIS_MACHINE)
    assert hand.hosts == [f"localhost:{port}"]


def _certificate_for_localhost(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the name `localhost` only (no IP in it): (cert, key)."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def test_https_checks_the_certificate_against_the_name_not_the_address(
    tmp_path: Path,
) -> None:
    cert, key = _certificate_for_localhost(tmp_path)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    with hand_server(serve_png, tls=server_side) as hand:
        port = hand.base.rsplit(":", 1)[1]
        async with httpx.AsyncClient(verify=trusting) as client:
            # Connected to the checked address 127.0.0.1, and verified as `localhost`.
            got = tmp_path / "got.png"
            url = f"https://localhost:{port}/pic.png"
            await fetch_to_file(url, got, ON_THIS_MACHINE, client=client)
            assert got.read_bytes() == png_bytes()
            # The certificate does not name 127.0.0.1: there verification must fail.
            url = f"https://127.0.0.1:{port}/pic.png"
            with pytest.raises(FetchError) as caught:
                await fetch_to_file(url, tmp_path / "no.png", ON_THIS_MACHINE, client=client)
    assert caught.value.kind == "unreachable"
    assert isinstance(caught.value.cause, httpx.ConnectError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value.cause)
    assert hand.hosts == [f"localhost:{port}"]


# ------------------------------------------------------------------ deadline, Stop, size
async def test_a_dribbling_url_is_cut_at_the_deadline(tmp_path: Path) -> None:
    policy = FetchPolicy(allow_private=True, max_bytes=1_000_000, deadline_s=2)
    target = tmp_path / "slow.bin"
    with hand_server(dribble) as hand:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            await fetch_to_file(f"{hand.base}/slow", target, policy)
        took = time.monotonic() - started
    assert caught.value.kind == "deadline"
    assert caught.value.sentence == f"{hand.base}/slow took longer than the 2 s a fetch may take"
    assert 1.5 < took < 8, took
    assert not target.exists()


async def test_cancelling_ends_the_fetch_at_once_and_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "slow.bin"
    policy = FetchPolicy(allow_private=True, max_bytes=1_000_000, deadline_s=60)
    with hand_server(dribble) as hand:
        fetch = asyncio.create_task(fetch_to_file(f"{hand.base}/slow", target, policy))
        for _ in range(100):
            await asyncio.sleep(0.1)
            if target.exists() and target.stat().st_size >= 1:
                break
        assert target.exists(), "the fetch should be writing by now"
        started = time.monotonic()
        fetch.cancel()
        with pytest.raises(asyncio.CancelledError):
            await fetch
        took = time.monotonic() - started
    assert took < 1.0, took
    assert not target.exists()


async def test_the_size_cap_holds_mid_stream_and_for_a_declared_size(tmp_path: Path) -> None:
    policy = FetchPolicy(allow_private=True, max_bytes=50_000, deadline_s=10)
    with hand_server(endless_undeclared) as hand, pytest.raises(FetchError) as caught:
        await fetch_to_file(f"{hand.base}/big", tmp_path / "big.bin", policy)
    assert caught.value.kind == "too_big"
    assert caught.value.declared_bytes is None
    assert "is over the 0.05 MB a fetched file may have" in caught.value.sentence
    assert not (tmp_path / "big.bin").exists()
    script = Script(answers={"/declared": [Answer(body=b"0" * 60_000)]})
    with serve(script) as base, pytest.raises(FetchError) as caught:
        await fetch_to_file(f"{base}/declared", tmp_path / "d.bin", policy)
    assert caught.value.declared_bytes == 60_000
    assert not (tmp_path / "d.bin").exists()


# ------------------------------------------------------------------ policies from settings
def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(studio_data_dir=tmp_path, _env_file=None, **values)  # type: ignore[call-arg]


def test_policies_follow_the_mode(tmp_path: Path) -> None:
    local = _settings(tmp_path)
    public = _settings(tmp_path, studio_public=True)
    assert FetchPolicy.for_visitor_urls(local).allow_private
    assert not FetchPolicy.for_visitor_urls(public).allow_private
    assert not FetchPolicy.for_results(public).allow_private
    assert FetchPolicy.for_visitor_urls(public).max_bytes == public.max_upload_bytes
    assert FetchPolicy.for_visitor_urls(public).deadline_s == public.studio_fetch_timeout_s == 60
    assert FetchPolicy.for_results(public).max_bytes == public.studio_max_download_mb * 1_000_000
    assert FetchPolicy.for_visitor_urls(public).allowed_origins == frozenset()


async def test_result_downloads_in_public_sandbox_reach_the_emulators_only(
    recorder: Recorder, tmp_path: Path
) -> None:
    script = Script(answers={"/tencent-output/a.png": [Answer(body=png_bytes())]})
    with serve(script) as emulator:
        settings = _settings(
            tmp_path,
            studio_public=True,
            studio_sandbox=True,
            tencent_mmlab_output_base_url=f"{emulator}/tencent-output",
        )
        policy = FetchPolicy.for_results(settings, sandbox_origins(settings))
        async with httpx.AsyncClient() as client:
            got = await download(
                client,
                f"{emulator}/tencent-output/a.png",
                tmp_path,
                "a.png",
                "image",
                policy=policy,
            )
            assert got.read_bytes() == png_bytes()
            with pytest.raises(ProviderError) as caught:
                await download(
                    client,
                    recorder.url(LOOPBACK_FORMS[1]),
                    tmp_path,
                    "b.png",
                    "image",
                    policy=policy,
                )
    assert str(caught.value.message).startswith("The result file could not be downloaded: http://")
    assert LOOPBACK_REFUSAL in str(caught.value.message)
    assert not caught.value.retryable
    assert recorder.hits == 0
    assert not list(tmp_path.glob("*.part"))


# ------------------------------------------------------------------ the offline provider
async def _until(provider: OfflineProvider, ctx: JobContext, handle: object) -> TaskStatus:
    for _ in range(600):
        status = await provider.status(ctx, handle)  # type: ignore[arg-type]
        if status.state in (TaskState.SUCCEEDED, TaskState.FAILED):
            return status
        await asyncio.sleep(0.1)
    raise AssertionError("the offline run did not end in 60 s")


def _ctx(tmp_path: Path, job_id: str) -> JobContext:
    work = tmp_path / job_id
    work.mkdir()
    return JobContext(job_id=job_id, work_dir=work)


async def test_a_slow_url_holds_no_engine_worker_and_stop_ends_it(tmp_path: Path) -> None:
    pool = WorkerPool(1)
    provider = OfflineProvider(pool, FetchPolicy(allow_private=True, max_bytes=10**6))
    slow_ctx = _ctx(tmp_path, "slow")
    try:
        with hand_server(dribble) as hand:
            request = ImageToMusicRequest(image_url=f"{hand.base}/pic.png")
            slow = await provider.submit(slow_ctx, request)
            fetching = await provider.status(slow_ctx, slow)
            assert fetching.state is TaskState.RUNNING
            assert str(fetching.message) == "Fetching the image"
            # The only engine worker is free: another job runs to its end meanwhile.
            quick_ctx = _ctx(tmp_path, "quick")
            quick = await provider.submit(
                quick_ctx, TextToMusicRequest(prompt="calm piano", seconds=1, steps=10, seed=3)
            )
            assert (await _until(provider, quick_ctx, quick)).state is TaskState.SUCCEEDED
            assert str((await provider.status(slow_ctx, slow)).message) == "Fetching the image"
            started = time.monotonic()
            await provider.cancel(slow_ctx, slow)
            took = time.monotonic() - started
        assert took < 1.0, took
        assert not any((slow_ctx.work_dir / "input").iterdir())
    finally:
        await provider.aclose()
        pool.shutdown()


@pytest.mark.parametrize(
    ("request_for", "field"),
    [
        (lambda url: ImageToMusicRequest(image_url=url), "image_url"),
        (lambda url: ExtendMusicRequest(upload_url=url, prompt="more"), "upload_url"),
    ],
)
async def test_the_offline_provider_refuses_this_machine_in_public_mode(
    request_for: object, field: str, recorder: Recorder, tmp_path: Path
) -> None:
    public = _settings(tmp_path, studio_public=True)
    pool = WorkerPool(1)
    provider = OfflineProvider(pool, FetchPolicy.for_visitor_urls(public))
    ctx = _ctx(tmp_path, "job")
    try:
        url = recorder.url(LOOPBACK_FORMS[3])
        handle = await provider.submit(ctx, request_for(url))  # type: ignore[operator]
        status = await _until(provider, ctx, handle)
    finally:
        await provider.aclose()
        pool.shutdown()
    assert status.state is TaskState.FAILED
    assert str(status.error) == (f"{field}: {url} was refused: {LOOPBACK_REFUSAL}; {REFUSAL_TAIL}")
    assert recorder.hits == 0


@pytest.mark.parametrize(
    ("body", "limits", "expected"),
    [
        (b"<html>not a picture</html>", UploadLimits(), "is not a media file"),
        (png_bytes(), UploadLimits(max_pixels=100), "16×12 pixels"),
    ],
)
async def test_fetched_content_meets_the_checks_of_an_upload_naming_the_url_field(
    body: bytes, limits: UploadLimits, expected: str, tmp_path: Path
) -> None:
    script = Script(answers={"/pic.png": [Answer(body=body)]})
    pool = WorkerPool(1)
    provider = OfflineProvider(pool, ON_THIS_MACHINE, limits)
    ctx = _ctx(tmp_path, "job")
    try:
        with serve(script) as base:
            handle = await provider.submit(ctx, ImageToMusicRequest(image_url=f"{base}/pic.png"))
            status = await _until(provider, ctx, handle)
    finally:
        await provider.aclose()
        pool.shutdown()
    assert status.state is TaskState.FAILED
    assert status.error is not None
    assert str(status.error).startswith("image_url: 'pic.png' ")
    assert expected in str(status.error)
    assert script.calls == {"/pic.png": 1}


async def test_a_song_from_an_upload_url_is_extended(tmp_path: Path) -> None:
    rate = 22050
    tone = (0.3 * np.sin(2 * np.pi * 220 * np.arange(rate * 4) / rate)).astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([tone, tone], 1), rate, format="WAV")
    script = Script(answers={"/song.wav": [Answer(body=buffer.getvalue())]})
    pool = WorkerPool(1)
    provider = OfflineProvider(pool, ON_THIS_MACHINE)
    ctx = _ctx(tmp_path, "job")
    try:
        with serve(script) as base:
            request = ExtendMusicRequest(upload_url=f"{base}/song.wav", prompt="more")
            handle = await provider.submit(ctx, request)
            status = await _until(provider, ctx, handle)
    finally:
        await provider.aclose()
        pool.shutdown()
    assert status.state is TaskState.SUCCEEDED, status.error
    (song,) = status.outputs
    assert song.path is not None
    assert sf.info(str(song.path)).duration > 4


# ------------------------------------------------------------------ end to end
def test_a_public_studio_refuses_a_loopback_image_url_without_a_request(
    tmp_path_factory: pytest.TempPathFactory, recorder: Recorder, downloads: Path
) -> None:
    running = launch_studio(tmp_path_factory.mktemp("public-fetch"), studio_public=True)
    try:
        url = recorder.url(LOOPBACK_FORMS[0])
        with pytest.raises(AppError) as caught:
            running.client(downloads).predict(
                image=None, image_url=url, provider="offline", api_name="/image_to_music"
            )
    finally:
        running.close()
    assert f"image_url: {url} was refused: {LOOPBACK_REFUSAL}" in str(caught.value)
    assert recorder.hits == 0


def test_a_local_studio_still_fetches_an_image_url_from_this_machine(
    studio: RunningStudio, recorder: Recorder, downloads: Path
) -> None:
    status, *_rest, files = studio.client(downloads).predict(
        image=None,
        image_url=recorder.url(LOOPBACK_FORMS[0]),
        provider="offline",
        api_name="/image_to_music",
    )
    assert "Done" in status
    assert len(files) == 1
    assert recorder.hits == 1
