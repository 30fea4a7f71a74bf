"""Adjustments that staff propose on Jinan's grounds (不适宜 / 不胜任 / …)."""
