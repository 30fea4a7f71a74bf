"""Exceptional-promotion requests (破格提拔): pure checks, services and pages."""
