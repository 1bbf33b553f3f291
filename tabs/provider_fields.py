"""Fields only some providers read: shown for those, hidden for the rest.

A hidden component still sends its value, so an API call, History's "Load settings" and the
request model see every field whatever is shown. Who ignores what is part of each provider's
declaration (providers/declarations.py); tabs/capability_tab.py applies it.
"""

from __future__ import annotations

from core.requests import Capability
from providers.declarations import declaration


def shown(capability: Capability, provider: str | None, field: str) -> bool:
    declared = declaration(provider)
    return declared is None or field not in declared.ignored(capability)
