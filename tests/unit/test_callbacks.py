"""Callback tokens: made per job, checked in constant time, unforgeable without the secret."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from core.callbacks import CallbackSigner, load_or_create_secret
from providers.declarations import callback_reply


def test_token_round_trip_and_forgeries() -> None:
    signer = CallbackSigner(b"secret-one", "https://studio.example/", reachable=True)
    token = signer.token("suno", "job123")
    assert signer.job_for("suno", token) == "job123"
    assert signer.job_for("suno", "job123." + "0" * 32) is None
    assert signer.job_for("suno", token.replace("job123", "job124")) is None
    assert signer.job_for("suno", "garbage") is None
    assert CallbackSigner(b"another-secret").job_for("suno", token) is None
    url, reachable = signer.url_for("suno", "job123")
    assert url == f"https://studio.example/callbacks/suno/{token}"
    assert reachable


def test_a_token_is_bound_to_its_provider() -> None:
    signer = CallbackSigner(b"secret-one", "https://studio.example/", reachable=True)
    imgopen = signer.token("imgopen", "job123")
    assert signer.job_for("imgopen", imgopen) == "job123"
    for other in ("suno", "tencent", "vidu", "imgopen2", "", "imgopen\n"):
        assert signer.job_for(other, imgopen) is None, other
    assert signer.token("suno", "job123") != imgopen


def test_no_base_url_means_no_callback() -> None:
    assert CallbackSigner(b"s").url_for("imgopen", "j") == (None, False)


def test_secret_survives_a_restart(tmp_path: Path) -> None:
    first = load_or_create_secret(None, tmp_path)
    assert load_or_create_secret(None, tmp_path) == first
    assert load_or_create_secret(SecretStr("configured"), tmp_path) == b"configured"


def test_replies_match_what_each_provider_counts_as_delivered() -> None:
    assert callback_reply("imgopen")["code"] == "200"  # Img Open wants the string
    assert callback_reply("suno")["code"] == 200
