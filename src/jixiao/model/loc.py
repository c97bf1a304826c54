"""Provenance: where a value came from.

>>> Loc(file="a.xlsx", sheet="表1", table=1, row=12, col=3).label()
'a.xlsx:表1!C12'
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache


@lru_cache(maxsize=1024)
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


@dataclass(slots=True, kw_only=True, unsafe_hash=True)
class Loc:
    """A place in a source file. ``row``/``col`` are 1-based within ``table``.

    Treat it as immutable (it is hashed and shared between cells and findings; ``but`` copies).
    It is a plain slotted dataclass rather than a frozen pydantic model because readers make one
    per cell: this is three times cheaper, and pydantic still validates and serialises it.

    For spreadsheets ``row``/``col`` are the sheet's own coordinates and ``cell`` its name (C12);
    for PDFs ``page`` is 1-based; for text exports ``line`` is the 1-based line of the file.
    """

    file: str
    sheet: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    cell: str | None = None
    line: int | None = None

    def but(self, **changes: int | str | None) -> Loc:
        """A copy with some fields changed: ``loc.but(col=None, cell=None)`` is the whole row.

        Field by field rather than ``dataclasses.replace``, which validates through ``__init__``
        and costs four times as much (recognisers call this for every row they read).
        """
        copy = _new(Loc)
        for name in _FIELDS:
            setattr(copy, name, changes[name] if name in changes else getattr(self, name))
        if len(changes) > sum(1 for name in changes if name in _FIELD_SET):
            raise TypeError(f"Loc has no field {sorted(set(changes) - _FIELD_SET)}")
        return copy

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


def cell_loc(file: str, table: int, row: int, col: int, cell: str, line: int | None = None) -> Loc:
    """``Loc(file=file, table=table, row=row, col=col, cell=cell, line=line)``, made faster.

    Readers make one ``Loc`` per cell, and keyword arguments cost more than the object: the
    fields are set directly here instead (every one of them, as ``__init__`` would).
    """
    loc = _new(Loc)
    loc.file = file
    loc.sheet = None
    loc.page = None
    loc.table = table
    loc.row = row
    loc.col = col
    loc.cell = cell
    loc.line = line
    return loc


_new = object.__new__
_FIELDS = ("file", "sheet", "page", "table", "row", "col", "cell", "line")
_FIELD_SET = frozenset(_FIELDS)


assert tuple(f.name for f in fields(Loc)) == _FIELDS, "keep _FIELDS in step with Loc"
