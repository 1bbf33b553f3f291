"""Pydantic models of each remote provider's wire format, one module per provider.

Field names are the provider's own (camelCase where it uses camelCase), so that a model's
`model_dump(exclude_none=True)` is exactly the JSON body the provider's page documents. Answer
models allow extra fields: providers add fields without notice, and some (progress, result
URLs) are read from whatever is there.
"""

from __future__ import annotations
