"""Views of an ``AuditReport``: text like a compiler, JSON, one HTML page, a reviewer's xlsx
worksheet, and annotated copies of the source files.

Enters: ``jixiao.checks.report.AuditReport`` (and the source files for annotated copies).
Leaves: text, bytes or files. Must not change the report: every view shows the same findings.
"""
