"""Provenance: where a value came from.

>>> Loc(file="a.xlsx", sheet="表1", table=1, row=12, col=3).label()
'a.xlsx:表1!C12'
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (spreadsheet column names)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """(12, 3) → 'C12'."""
    return f"{column_letter(col)}{row}"


class Loc(BaseModel):
    """A place in a source file. ``row``/``col`` are 1-based within ``table``.

    For spreadsheets ``row``/``col`` are the sheet's own coordinates and ``cell`` its name (C12);
    for PDFs ``page`` is 1-based; for text exports ``line`` is the 1-based line of the file.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    cell: str | None = None
    line: int | None = None

    def label(self) -> str:
        """Compiler-style location: ``file:Sheet1!C12`` or ``file:p.7:表3 行5 列2``."""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
            return ":".join(parts)
        where = []
        if self.page is not None:
            where.append(f"p.{self.page}")
        if self.line is not None:
            where.append(f"L{self.line}")
        if self.table is not None:
            t = f"表{self.table}"
            if self.row is not None:
                t += f" 行{self.row}"
            if self.col is not None:
                t += f" 列{self.col}"
            where.append(t)
        return ":".join(parts + where)
