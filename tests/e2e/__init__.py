"""e2e tests (docs/architecture.md#tests)."""
