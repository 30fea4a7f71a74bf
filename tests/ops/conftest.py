from tests.faults.conftest import default_policies, flow, staff  # noqa: F401  (fixtures)
