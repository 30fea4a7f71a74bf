"""Demonstration data (演示数据) for every app, loaded by the seed_* management commands.

The top floor, beside config: it calls the apps' services as a user would; no app
imports it (import-linter contract in pyproject.toml)."""
