"""unit tests (docs/architecture.md#tests)."""
