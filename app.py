"""AIGC Studio: wiring only — settings → providers → UI → launch."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from core.callbacks import CallbackSigner, load_or_create_secret, make_callback_route
from core.config import Settings, load_settings
from core.fetch import FetchPolicy
from core.jobs import JobManager
from core.redact import Redactor, install_log_redaction
from core.retention import ExpirySweeper, start_expiry_sweeps
from core.store import JobStore
from core.visitors import VisitorDirectory
from core.workers import WorkerPool
from providers.declarations import callback_reply, sandbox_origins
from providers.registry import Registry
from tabs.example_assets import EXAMPLES_DIR
from tabs.i18n import i18n_object
from tabs.mcp_results import studio_lifespan
from tabs.page_style import PAGE_CSS
from tabs.services import StudioServices
from tabs.share_page import make_share_routes
from tabs.studio import build_ui

if TYPE_CHECKING:
    from emulators.testing import EmulatorServer

DEFAULT_PORT = 7860
SANDBOX_TASK_SECONDS = 3.0


@dataclass
class Studio:
    demo: gr.Blocks
    services: StudioServices
    redactor: Redactor
    sandbox: EmulatorServer | None = None
    sweeper: ExpirySweeper | None = None

    def launch_kwargs(self) -> dict[str, Any]:
        """Everything `launch()` needs besides host and port (Gradio reads GRADIO_SERVER_*)."""
        settings = self.services.settings
        route = make_callback_route(
            self.services.jobs.callbacks,  # type: ignore[arg-type]
            self.services.jobs.wake,
            lambda job_id: self.services.store.get(job_id) is not None,
            callback_reply,
        )
        return {
            "max_threads": settings.studio_max_threads,
            "state_session_capacity": settings.studio_session_capacity,
            "allowed_paths": [
                str(settings.outputs_dir.resolve()),
                str(settings.work_dir.resolve()),
                str(EXAMPLES_DIR),  # the examples' pictures, song and clip (public assets)
            ],
            "max_file_size": f"{settings.max_upload_mb}mb",
            "app_kwargs": {
                "routes": [route, *make_share_routes(self.services.store)],
                "lifespan": studio_lifespan(self.demo),
            },
            "css": PAGE_CSS,
            "i18n": i18n_object(),  # English and Chinese labels; the browser picks
            # Agents call the five capabilities as MCP tools at /gradio_api/mcp/.
            "mcp_server": True,
        }

    def close(self) -> None:
        if self.sweeper is not None:
            self.sweeper.stop()
        self.services.jobs.close()
        self.services.store.close()
        if self.sandbox is not None:
            self.sandbox.stop()


def _callback_base(settings: Settings, port: int | None) -> tuple[str, bool]:
    if settings.public_url:
        return settings.public_url, True
    port = port or int(os.environ.get("GRADIO_SERVER_PORT", DEFAULT_PORT))
    # Without a public URL only providers on this machine (the sandbox emulators) can call back.
    return f"http://127.0.0.1:{port}", settings.studio_sandbox


def _start_sandbox(settings: Settings) -> tuple[Settings, EmulatorServer]:
    """Run the provider emulators in this process and point every remote provider at them."""
    from emulators.testing import EmulatorServer  # only sandbox mode pays for loading them

    server = EmulatorServer(
        task_seconds=SANDBOX_TASK_SECONDS, data_dir=settings.studio_data_dir / "sandbox"
    ).start()
    overrides = {name.lower(): value for name, value in server.env().items()}
    return Settings(**{**dict(settings), **overrides}), server


def build_studio(settings: Settings | None = None, *, port: int | None = None) -> Studio:
    """Everything but the launch; `port` is where the app will listen (for callback URLs)."""
    settings = settings or load_settings()
    settings.studio_data_dir.mkdir(parents=True, exist_ok=True)
    sandbox = None
    if settings.studio_sandbox:
        settings, sandbox = _start_sandbox(settings)
    # The server's own keys only: a visitor's keys are masked in their own jobs' texts and
    # log lines (core/redact.py), never in anyone else's.
    redactor = Redactor()
    redactor.add(
        value
        for name, value in settings
        if name.endswith(("_key", "_secret", "_key_id", "_id")) and value is not None
    )
    install_log_redaction(redactor)

    store = JobStore(settings.db_path)
    registry = Registry(settings, WorkerPool(settings.offline_workers))
    base_url, reachable = _callback_base(settings, port)
    signer = CallbackSigner(
        load_or_create_secret(settings.studio_callback_secret, settings.studio_data_dir),
        base_url,
        reachable=reachable,
    )
    jobs = JobManager(
        store,
        settings,
        registry.get,
        redactor=redactor,
        callbacks=signer,
        file_base_url=base_url if reachable else None,
        result_policy=FetchPolicy.for_results(settings, sandbox_origins(settings)),
    )
    visitors = VisitorDirectory(
        load_or_create_secret(None, settings.studio_data_dir, name="visitor.secret")
    )
    services = StudioServices(
        settings=settings, jobs=jobs, registry=registry, store=store, visitors=visitors
    )
    demo = build_ui(services)
    demo.queue(default_concurrency_limit=settings.studio_event_concurrency, max_size=1000)
    jobs.resume_unfinished()
    sweeper = start_expiry_sweeps(settings, store)
    return Studio(demo=demo, services=services, redactor=redactor, sandbox=sandbox, sweeper=sweeper)


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    studio = build_studio()
    log_mode(studio.services.settings)
    studio.demo.launch(**studio.launch_kwargs())


def log_mode(settings: Settings) -> None:
    """Say at start-up whose studio this is (README: Hosting publicly)."""
    if settings.public_mode:
        why = "SPACE_ID is set" if settings.space_id else "STUDIO_PUBLIC=1"
        logging.getLogger("studio").info(
            "Public mode (%s): every job belongs to the visitor who started it; visitor URLs "
            "never reach this server's own network; per-visitor limits apply.",
            why,
        )
    else:
        logging.getLogger("studio").info(
            "Private mode: one user's studio; every job is visible here. Set STUDIO_PUBLIC=1 "
            "before letting strangers in."
        )


if __name__ == "__main__":
    main()
