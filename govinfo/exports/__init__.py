"""Exports: one exporter class per exported thing, in the app that owns the data, one registry here.

Like pretix's exporters (``pretix/base/exporter.py``): an exporter declares its ``identifier``, its
``verbose_name``, the filters of the page it honours, its columns (Chinese headers through gettext)
and ``iter_rows(user, filters)``; the platform writes XLSX (openpyxl write-only) or CSV (streamed),
decides whether the export runs at once or as a background job, checks who may run it, makes every
text cell safe (``cells.safe_text``) and records the export in the audit trail. Apps register their
exporters in their ``exports`` module, imported by their ``AppConfig.ready()``; an app downstream of
another adds columns or filters to the other's exporter with ``registry.extend``.
"""
