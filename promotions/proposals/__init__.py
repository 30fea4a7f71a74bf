"""Adjustment proposals (调整建议): workflow, access, documents, list/detail pages and API."""
