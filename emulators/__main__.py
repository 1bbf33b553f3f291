"""`python -m emulators [--port 8790] [--task-seconds 3]`: serve all four emulators.

`python -m emulators --replay <fixture>` serves a recorded job instead (emulators/replay.py).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import uvicorn

from emulators.app import build_app
from emulators.replay import serve as serve_replay
from emulators.state import EmulatorState
from emulators.testing import emulator_env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m emulators", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--task-seconds", type=float, default=3.0)
    parser.add_argument("--music-seconds", type=float, default=8.0)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="disable Suno's 20 calls / 10 s limit"
    )
    parser.add_argument(
        "--replay",
        type=Path,
        metavar="FIXTURE",
        help="answer as a recorded job's provider did (a transcript.json, or its folder)",
    )
    args = parser.parse_args(argv)
    if args.replay is not None:
        serve_replay(args.replay, args.host, args.port)
        return
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="emulators-"))
    state = EmulatorState(
        data_dir, task_seconds=args.task_seconds, rate_limit=not args.no_rate_limit
    )
    state.music_seconds = args.music_seconds
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    print("# AIGC Studio provider emulators; use these settings:")
    for key, value in emulator_env(f"http://{host}:{args.port}", state).items():
        print(f"{key}={value}")
    print(f"# files in {data_dir}", flush=True)
    uvicorn.run(build_app(state), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
