"""Settings from the environment and `.env` (see `.env.example` for every name)."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where Hugging Face Spaces mounts persistent storage, when the Space has it.
SPACES_PERSISTENT_DIR = Path("/data")
SPACES_DATA_SUBDIR = "aigc-studio"
LOCAL_UPLOAD_MB = 200
PUBLIC_UPLOAD_MB = 50


class Settings(BaseSettings):
    """Field names are the environment variable names, lower-cased."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Studio
    studio_data_dir: Path = Path("data")
    studio_public_url: str | None = None
    space_host: str | None = None
    studio_sandbox: bool = False
    studio_require_user_keys: bool = False
    studio_browser_secret: SecretStr | None = None
    studio_callback_secret: SecretStr | None = None
    studio_offline_workers: int = 0
    # Unset: 200 MB on one's own machine, 50 MB in public mode (see `max_upload_mb`).
    studio_max_upload_mb: int | None = Field(None, ge=1)
    studio_max_download_mb: int = 500
    studio_event_concurrency: int = 200
    studio_max_threads: int = 200
    # Browser sessions whose state Gradio keeps (about 0.6 MB each; an evicted idle session
    # loses its session keys). Gradio's own default of 10,000 would hold about 6 GB.
    studio_session_capacity: int = Field(1000, ge=10)

    # Public hosting (docs: README "Hosting publicly"). Public mode is on when Hugging Face sets
    # SPACE_ID or STUDIO_PUBLIC=1; the limits below hold in public mode only.
    studio_public: bool = False
    space_id: str | None = None
    studio_visitor_max_running: int = Field(2, ge=1)
    studio_visitor_max_queued: int = Field(5, ge=0)
    studio_visitor_quota_mb: int = Field(1000, ge=1)
    studio_anonymous_expiry_days: float = Field(7.0, gt=0)
    studio_user_key_wait_hours: float = Field(24.0, gt=0)
    studio_max_image_megapixels: float = Field(16.0, gt=0)
    studio_fetch_timeout_s: float = Field(60.0, gt=0)
    # The whole of a provider's result file (up to STUDIO_MAX_DOWNLOAD_MB) must arrive within
    # this; visitor URLs get studio_fetch_timeout_s. Both hold in local mode too.
    studio_download_timeout_s: float = Field(600.0, gt=0)
    # Heavy offline requests in public mode: pixels × images, seconds × songs, video length.
    studio_max_offline_megapixels: float = Field(16.0, gt=0)
    studio_max_offline_audio_s: float = Field(600.0, gt=0)
    studio_max_offline_video_s: float = Field(30.0, gt=0)
    # A folder: every remote job's provider calls are also written there whole, with their
    # result files, as a replay fixture (core/recording.py; `python -m emulators --replay`).
    studio_record: Path | None = None

    # Img Open
    imgopen_base_url: str = "https://api.zhiqite.com"
    imgopen_access_key_id: SecretStr | None = None
    imgopen_access_key_secret: SecretStr | None = None

    # Tencent Multimedia Lab
    tencent_mmlab_url: str = "http://service-mqk0mc83-1257411467.bj.apigw.tencentcs.com/release/job"
    tencent_mmlab_secret_id: SecretStr | None = None
    tencent_mmlab_secret_key: SecretStr | None = None
    tencent_mmlab_output_base_url: str | None = None

    # Suno API
    suno_base_url: str = "https://api.sunoapi.org"
    suno_upload_base_url: str = "https://sunoapiorg.redpandaai.co"
    suno_api_key: SecretStr | None = None

    # Vidu through an aggregator (no default base URL: without it the provider is off)
    vidu_base_url: str | None = None
    vidu_api_key: SecretStr | None = None

    @field_validator(
        "studio_public_url",
        "space_host",
        "space_id",
        "vidu_base_url",
        "studio_record",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @model_validator(mode="after")
    def _data_on_spaces_storage(self) -> Settings:
        # A Space's own disk is wiped on every restart; History must live on /data to survive.
        if "studio_data_dir" not in self.model_fields_set and has_spaces_storage():
            self.studio_data_dir = SPACES_PERSISTENT_DIR / SPACES_DATA_SUBDIR
        return self

    @cached_property
    def public_url(self) -> str | None:
        """The address the outside world reaches the app at; on Spaces derived from SPACE_HOST."""
        if self.studio_public_url:
            return self.studio_public_url.rstrip("/")
        if self.space_host:
            return f"https://{self.space_host.strip().rstrip('/')}"
        return None

    @property
    def public_mode(self) -> bool:
        """Strangers share this server: every job has an owner and every limit holds."""
        return self.studio_public or bool(self.space_id)

    @property
    def record_dir(self) -> Path | None:
        """Where replay fixtures go (STUDIO_RECORD); never in public mode, where they would
        keep strangers' calls whole, outside their quotas and expiry."""
        return None if self.public_mode else self.studio_record

    @property
    def max_upload_mb(self) -> int:
        if self.studio_max_upload_mb is not None:
            return self.studio_max_upload_mb
        return PUBLIC_UPLOAD_MB if self.public_mode else LOCAL_UPLOAD_MB

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1_000_000

    @property
    def outputs_dir(self) -> Path:
        return self.studio_data_dir / "outputs"

    @property
    def work_dir(self) -> Path:
        """Scratch space for previews and inputs of running jobs."""
        return self.studio_data_dir / "work"

    @property
    def db_path(self) -> Path:
        return self.studio_data_dir / "studio.sqlite3"

    @property
    def offline_workers(self) -> int:
        return self.studio_offline_workers or max(1, os.cpu_count() or 1)


def has_spaces_storage() -> bool:
    """True on a Hugging Face Space with persistent storage mounted (a writable /data)."""
    on_spaces = bool(os.environ.get("SPACE_ID")) or os.environ.get("SYSTEM") == "spaces"
    root = SPACES_PERSISTENT_DIR
    return on_spaces and root.is_dir() and os.access(root, os.W_OK)


def load_settings(**overrides: object) -> Settings:
    """Settings from env and `.env`, with explicit overrides (tests pass a data dir)."""
    return Settings(**overrides)  # type: ignore[arg-type]
