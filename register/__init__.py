"""The register of issued documents (文书登记簿) for auditors, its bulk export, retention, and
a cadre's timeline across the apps. Nothing imports this app but the site shell (config,
workbench); it reads the other apps through their query modules and the document access
registry (core.document_access).

- access.py: who may use the register, and whose export is whose.
- queries.py: the register's rows (outcome and matched situations of each ruling), its order.
- filters.py: the register filter, shared by the page, the export and the API.
- export.py: writing the Excel register and the ZIP of PDFs with its manifest, streaming.
- jobs.py: export jobs: request (audited), run once (inline or in Celery), finish (audited).
- retention.py: removing finished exports' files after their retention time.
- timeline.py: one cadre's events across the apps.
"""
