"""Spreadsheet toolkit: cell parsing, row errors, formula-safe writing."""
