"""Triggers of an adjustment (能下): the pure trigger rules and the yearly set-based scan."""
