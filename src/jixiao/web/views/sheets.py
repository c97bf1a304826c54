"""A version's score sheets as the page shows them: the stored sheets (``jixiao.report.score``'s,
as JSON) with their numbers written without trailing zeros. Display only: nothing is computed here.
"""

from __future__ import annotations

from typing import Any

from jixiao.web.models import DocumentVersion
from jixiao.web.views.common import plain_number


def score_sheets(version: DocumentVersion) -> list[dict[str, Any]]:
    """The stored score sheets with their numbers shown without trailing zeros."""
    sheets = []
    for sheet in version.scores if isinstance(version.scores, list) else []:
        rows = [
            {
                "indicator": row.get("indicator", ""),
                "level": row.get("level", ""),
                "weight": plain_number(row.get("weight")),
                "target": row.get("target", ""),
                "actual": row.get("actual") or "",
                "reported": plain_number(row.get("reported_score")),
                "computed": plain_number(row.get("computed_score")),
                "explanation": row.get("explanation", ""),
                "departs": bool(row.get("departs")),
            }
            for row in sheet.get("rows", [])
        ]
        levels = [
            {
                "name": level.get("name", ""),
                "weight_rule": plain_number(level.get("weight_rule")),
                "weight_document": plain_number(level.get("weight_document")),
                "reported": plain_number(level.get("reported")),
                "computed": plain_number(level.get("computed")),
            }
            for level in sheet.get("levels", [])
        ]
        sheets.append(
            {
                "title": sheet.get("ruleset_title", ""),
                "form": sheet.get("form") or "",
                "rows": rows,
                "levels": levels,
                "total_reported": plain_number(sheet.get("total_reported")),
                "total_computed": plain_number(sheet.get("total_computed")),
                "grade_reported": sheet.get("grade_reported") or "",
                "grade_computed": sheet.get("grade_computed") or "",
            }
        )
    return sheets
