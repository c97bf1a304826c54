"""Findings: problems as data, with a stable code, a Chinese message and locations.

Readers and recognisers return findings (codes ``R…`` for unreadable input, ``F…`` for form
structure); the audit engine returns the same type. Exceptions are for bugs only.

>>> Finding(code="R001", severity=Severity.ERROR, message="文件为空").severity.value
'error'
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from jixiao.model.loc import Loc


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    locations: tuple[Loc, ...] = ()
    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None

    def label(self) -> str:
        where = self.locations[0].label() if self.locations else "-"
        return f"{where}: {self.severity.value[0].upper()} {self.code} {self.message}"
