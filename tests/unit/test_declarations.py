"""Each provider is declared once (providers/declarations.py), and everything else agrees with it.

The registry, the adapters, the Settings tab, field visibility, the callback route and the
emulators all read the declarations; these tests fail when one of them drifts or when a
declaration names something that does not exist.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from core.config import Settings
from core.locale.providers import MESSAGES
from core.requests import CAPABILITIES
from core.workers import WorkerPool
from emulators.state import EmulatorState
from emulators.testing import emulator_env
from providers.declarations import (
    DECLARATIONS,
    OFFLINE,
    REMOTE,
    Declaration,
    callback_reply,
)
from providers.registry import PROVIDER_ORDER, Registry
from tabs.provider_fields import shown
from tabs.settings import PROVIDER_ADDRESSES


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry(Settings(studio_data_dir=tmp_path, _env_file=None), WorkerPool(1))  # type: ignore[call-arg]


@pytest.mark.parametrize("declared", DECLARATIONS, ids=lambda d: d.name)
def test_each_provider_is_what_its_declaration_says(
    registry: Registry, declared: Declaration
) -> None:
    provider = registry.get(declared.name)
    assert provider is not None
    assert (provider.name, provider.label) == (declared.name, declared.label)
    assert provider.capabilities == declared.capabilities
    assert registry.credential_fields(declared.name) == declared.credential_fields
    assert provider.poll_delay(0.0) == declared.polling.delay(0.0)
    assert set(declared.ignores) <= set(CAPABILITIES)


@pytest.mark.parametrize("declared", REMOTE, ids=lambda d: d.name)
def test_a_remote_declaration_names_real_settings(declared: Declaration) -> None:
    fields = Settings.model_fields
    for name in declared.credential_fields:
        assert name.lower() in fields, name
    assert declared.addresses, "a remote provider is reached somewhere"
    for address in declared.addresses:
        assert address.setting in fields, address.setting
        assert address.emulator_mount.startswith("/")
    assert importlib.import_module(declared.adapter).create is not None


def test_the_rest_of_the_studio_is_derived() -> None:
    assert tuple(d.name for d in DECLARATIONS) == PROVIDER_ORDER
    assert PROVIDER_ORDER[0] == OFFLINE.name
    assert set(PROVIDER_ADDRESSES) == {d.name for d in REMOTE}
    assert callback_reply("imgopen")["code"] == "200"
    assert callback_reply("suno")["code"] == 200
    assert not shown("text_to_image", "offline", "checkpoint")
    assert not shown("video_upscale", "vidu", "scale")
    assert shown("video_upscale", "offline", "scale")
    assert shown("video_upscale", None, "scale")


def test_the_emulators_set_every_declared_address_and_key() -> None:
    env = emulator_env("http://emu", EmulatorState(Path(tempfile.mkdtemp())))
    for declared in REMOTE:
        for address in declared.addresses:
            assert env[address.env] == f"http://emu{address.emulator_mount}"
        for name in declared.credential_fields:
            assert env[name].strip()
    # Nothing undeclared: the sandbox overrides Settings with exactly these.
    declared_names = {a.env for d in REMOTE for a in d.addresses} | {
        name for d in REMOTE for name in d.credential_fields
    }
    assert set(env) == declared_names


def test_the_emulators_never_import_an_adapter() -> None:
    code = (
        "import sys, emulators.app, emulators.testing;"
        "print(sorted(m for m in sys.modules if m.startswith('providers')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip() == "['providers', 'providers.declarations']"


def test_provider_messages_exist_in_both_languages() -> None:
    for key, entry in MESSAGES.items():
        assert entry.get("en"), key
        assert entry.get("zh"), key


def test_a_new_adapter_refuses_what_its_declaration_does_not_serve() -> None:
    from core.errors import InvalidRequest
    from core.requests import build_request
    from providers.declarations import SUNO
    from providers.remote_base import RemoteProvider

    class Bare(RemoteProvider):
        """An adapter with no `check` of its own, as a newcomer's first one may be."""

        declaration = SUNO

    bare = Bare(Settings(_env_file=None))  # type: ignore[call-arg]
    with pytest.raises(InvalidRequest) as refused:
        bare.check(build_request("text_to_music", prompt="calm piano", seconds=2))
    assert refused.value.field == "capability"
    assert "text_to_music" in str(refused.value)
