"""The tolerance personas and case builder, reused by the security tests."""

from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)
