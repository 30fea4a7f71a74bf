"""Test settings without CONN_HEALTH_CHECKS: the control case of test_postgres_restart."""

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
