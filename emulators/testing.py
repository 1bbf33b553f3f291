"""Run the emulators in a background thread: for tests, benchmarks and the app's sandbox mode."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType

from emulators import media
from emulators.app import build_app
from emulators.serving import BackgroundServer, bound_socket
from emulators.state import EmulatorKeys, EmulatorState
from providers.declarations import REMOTE

# Callback retry delays (3 s, 5 s, ...) shrink by this factor under test servers.
TEST_CALLBACK_DELAY_SCALE = 0.01


class EmulatorServer:
    """All four emulators on 127.0.0.1:<free port>, as a context manager."""

    def __init__(
        self,
        task_seconds: float = 1.0,
        data_dir: Path | None = None,
        rate_limit: bool = False,
        *,
        callback_delay_scale: float = TEST_CALLBACK_DELAY_SCALE,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="emulators-"))
        self.state = EmulatorState(
            self.data_dir,
            task_seconds=task_seconds,
            rate_limit=rate_limit,
            callback_delay_scale=callback_delay_scale,
        )
        self.host = host
        self._port = port
        self._server = BackgroundServer()
        self.base_url = ""

    def start(self) -> EmulatorServer:
        if self._server.running:
            return self
        sock = bound_socket(self.host, self._port)
        port = sock.getsockname()[1]
        self._server.start(
            build_app(self.state),
            sock,
            "emulators",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=30,
        )
        self.base_url = f"http://{self.host}:{port}"
        threading.Thread(target=media.warm_up, name="emulators-warm-up", daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.stop()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """Environment that points every adapter at this server, with working keys."""
        if not self.base_url:
            raise RuntimeError("start the server first")
        return emulator_env(self.base_url, self.state)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def accepted_keys(keys: EmulatorKeys) -> dict[str, tuple[str, ...]]:
    """Provider → the key values its emulator accepts, in the order its declaration names
    its credential fields."""
    return {
        "imgopen": (keys.imgopen_access_key_id, keys.imgopen_access_key_secret),
        "tencent": (keys.tencent_secret_id, keys.tencent_secret_key),
        "suno": (keys.suno_api_key,),
        "vidu": (keys.vidu_api_key,),
    }


def emulator_env(base_url: str, state: EmulatorState) -> dict[str, str]:
    """Every declared remote provider's address settings and keys, pointing at these
    emulators (env names and mount paths from providers/declarations.py)."""
    keys = accepted_keys(state.keys)
    env: dict[str, str] = {}
    for declared in REMOTE:
        for address in declared.addresses:
            env[address.env] = f"{base_url}{address.emulator_mount}"
        env.update(zip(declared.credential_fields, keys[declared.name], strict=True))
    return env
