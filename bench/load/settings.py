"""Production settings plus the benchmark's own URLs (the bare anchor view is not a product URL)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
