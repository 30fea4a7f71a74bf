"""Incentives (激励): bonuses, commendations, outstanding principals, candidate lists."""
