"""On Hugging Face Spaces: History on persistent storage, callbacks to the Space's own address."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import config
from core.config import Settings

SPACES_ENV = ("SPACE_ID", "SYSTEM", "SPACE_HOST", "STUDIO_DATA_DIR", "STUDIO_PUBLIC_URL")


@pytest.fixture
def storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment, and a tmp dir standing in for the Space's /data mount."""
    for name in SPACES_ENV:
        monkeypatch.delenv(name, raising=False)
    mount = tmp_path / "data"
    mount.mkdir()
    monkeypatch.setattr(config, "SPACES_PERSISTENT_DIR", mount)
    return mount


def settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("name", "value"), [("SPACE_ID", "someone/aigc-studio"), ("SYSTEM", "spaces")]
)
def test_a_space_with_persistent_storage_keeps_its_data_there(
    storage: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    found = settings()
    assert found.studio_data_dir == storage / "aigc-studio"
    assert found.db_path == storage / "aigc-studio" / "studio.sqlite3"
    assert found.outputs_dir.is_relative_to(storage)


def test_off_spaces_the_default_stays_data(storage: Path) -> None:
    assert settings().studio_data_dir == Path("data")


def test_a_space_without_persistent_storage_keeps_the_default(
    storage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPACE_ID", "someone/aigc-studio")
    monkeypatch.setattr(config, "SPACES_PERSISTENT_DIR", storage / "not-mounted")
    assert settings().studio_data_dir == Path("data")


def test_a_data_path_that_is_not_a_directory_is_not_used(
    storage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYSTEM", "spaces")
    not_a_dir = storage / "file"
    not_a_dir.write_text("")
    monkeypatch.setattr(config, "SPACES_PERSISTENT_DIR", not_a_dir)
    assert settings().studio_data_dir == Path("data")


def test_studio_data_dir_always_wins(
    storage: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPACE_ID", "someone/aigc-studio")
    chosen = tmp_path / "elsewhere"
    monkeypatch.setenv("STUDIO_DATA_DIR", str(chosen))
    assert settings().studio_data_dir == chosen
    monkeypatch.delenv("STUDIO_DATA_DIR")
    # Passed in code (as tests and the launcher do) it wins too.
    assert Settings(studio_data_dir=chosen, _env_file=None).studio_data_dir == chosen  # type: ignore[call-arg]


def test_the_public_url_comes_from_space_host(
    storage: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPACE_HOST", "someone-aigc-studio.hf.space")
    assert settings().public_url == "https://someone-aigc-studio.hf.space"
    monkeypatch.setenv("STUDIO_PUBLIC_URL", "https://studio.example.org/")
    assert settings().public_url == "https://studio.example.org"
    monkeypatch.setenv("STUDIO_PUBLIC_URL", " ")
    monkeypatch.delenv("SPACE_HOST")
    assert settings().public_url is None


def test_a_public_studio_records_no_fixtures(tmp_path: Path) -> None:
    """Fixtures keep every call whole, outside quotas and expiry: never for strangers' jobs."""
    private = Settings(studio_record=tmp_path / "fx", _env_file=None)  # type: ignore[call-arg]
    public = Settings(  # type: ignore[call-arg]
        studio_record=tmp_path / "fx", studio_public=True, _env_file=None
    )
    assert private.record_dir == tmp_path / "fx"
    assert public.record_dir is None
