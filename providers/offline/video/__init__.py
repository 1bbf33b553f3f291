"""The offline video engines: the upscaler and the still-picture video (docs/offline.md)."""
