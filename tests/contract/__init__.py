"""contract tests (docs/architecture.md#tests)."""
