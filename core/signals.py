"""Signals core sends for apps that keep data derived from it (core names no domain app)."""

from django.dispatch import Signal

# Sent inside the transaction that entered, corrected or deleted a year's holiday schedule.
# Arguments: actor (User | None), years (frozenset[int]), cause (str, for audit rows).
calendar_changed = Signal()
