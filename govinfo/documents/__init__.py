"""The 公文 engine, a platform piece any app issues through (the dependency arrows point here, never back).

- ``issue``: ``issue_document``, ``Heading``, ``DocumentError``, the canonical content and its fingerprint
- ``numbering``: the gapless 发文字号 per agency and year (R-REV-6)
- ``rendering``: HTML → PDF with WeasyPrint, masthead, title lines, the verification QR code
- ``files``: ``atomic_with_files`` — a stored file whose transaction does not commit is deleted
- ``verification``: the printed link, matching an uploaded file by SHA-256; ``views``: ``/verify/``, download
- ``access``: who may open a document; apps add their rules with ``register_access``
"""
