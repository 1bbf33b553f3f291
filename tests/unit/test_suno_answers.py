"""Suno's answer codes in the body or as the HTTP status, and its field names (pure parts)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from core.config import Settings
from core.errors import ProviderError
from core.messages import msg
from core.requests import ExtendMusicRequest
from providers import suno
from providers.wire.suno import FIELD_NAMES, UploadExtendBody


def _provider(tmp_path: Path) -> suno.SunoProvider:
    return suno.SunoProvider(Settings(_env_file=None, studio_data_dir=tmp_path))  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("status", "answer", "code"),
    [
        (429, None, 429),  # a gateway's page: no JSON at all
        (429, {"detail": "Too Many Requests"}, 429),
        (430, "", 430),
        (429, {"code": 200, "msg": "success"}, 429),  # the status says more than the body
        (200, {"code": 429, "msg": "积分不足"}, 429),
        (400, {"code": 413, "msg": "too long"}, 413),  # the body's own code wins
        (503, None, None),  # not one of the page's codes: a plain HTTP error
        (200, {"code": 200, "data": {}}, 200),
    ],
)
def test_an_answers_code_in_the_body_or_the_status(status: int, answer: object, code: int) -> None:
    shaped = suno.with_http_code(status, answer)
    found = shaped.get("code") if isinstance(shaped, dict) else None
    assert found == code


@pytest.mark.parametrize(
    ("response", "key", "retryable"),
    [
        (httpx.Response(429, text="<html>Too Many Requests</html>"), "suno_code_429", False),
        (
            httpx.Response(429, json={"code": 429, "msg": "Insufficient credits"}),
            "suno_code_429",
            False,
        ),
        (
            httpx.Response(200, json={"code": 429, "msg": "Insufficient credits"}),
            "suno_code_429",
            False,
        ),
        (httpx.Response(430, text=""), "suno_code_430", True),
        (httpx.Response(455, text="maintenance"), "suno_code_455", True),
    ],
)
def test_a_refused_create_is_worded_by_its_code(
    tmp_path: Path, response: httpx.Response, key: str, retryable: bool
) -> None:
    with pytest.raises(ProviderError) as raised:
        _provider(tmp_path)._envelope_of(response, retryable=False, when="suno_refused_task")
    assert str(msg(key)) in str(raised.value)
    assert str(raised.value).startswith("Suno refused the task")
    assert raised.value.retryable is retryable


def test_out_of_credits_on_a_status_call_is_final() -> None:
    with pytest.raises(ProviderError) as raised:
        suno.map_status({"code": 429, "msg": "Insufficient credits", "data": None})
    assert not raised.value.retryable
    assert "out of credits" in str(raised.value)
    with pytest.raises(ProviderError) as passing:
        suno.map_status({"code": 455, "msg": "maintenance", "data": None})
    assert passing.value.retryable  # one bad answer never fails a job


def test_field_names_name_real_fields_on_both_sides() -> None:
    assert set(FIELD_NAMES) <= set(ExtendMusicRequest.model_fields)
    assert set(FIELD_NAMES.values()) <= set(UploadExtendBody.model_fields)
    # Every wire name the body shares with no studio field is listed.
    same = set(ExtendMusicRequest.model_fields) & set(UploadExtendBody.model_fields)
    assert set(UploadExtendBody.model_fields) - same - {"callBackUrl"} == set(FIELD_NAMES.values())
