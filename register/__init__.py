"""The register of issued documents (文书登记簿) for auditors, its bulk export, and the
leaders' statistics.

- access.py: who reads which documents (`readable_documents`, set-based), who may use the
  register and the statistics, and whose export is whose.
- queries.py: the register's rows (outcome and matched situations of each ruling), its order
  and the situation catalogue.
- filters.py: the register filter, shared by the page, the export and the API.
- export.py: writing the Excel register and the ZIP of PDFs with its manifest, streaming.
- jobs.py: export jobs: request (audited), run once (inline or in Celery), finish (audited).
- stats.py: set-based aggregates for the statistics page.
"""
