"""Local stand-ins for the remote providers, written from their docs (docs/providers.md#emulators).

`EmulatorServer` (emulators.testing) runs all four on one port; `python -m emulators` serves
them from the command line. They never import the adapters they exist to check.
"""

from __future__ import annotations
