"""政府收支分类科目: the expenditure classification codes printed in budget and final-accounts tables.

Enters: a code or a 科目 name as printed. Leaves: the code's kind, level and official name.
The tables are data (``classification.toml``): the 类 level of the 支出功能分类 and of both 支出经济分类
(部门 3xx, 政府 5xx), and the 经济分类 款 codes that published documents print. Must not import
``jixiao.ingest`` or anything that reads files other than its own data.

>>> join_code(["208", "01", "01"])
'2080101'
>>> code_kind("30101"), class_name("2080101")
('economic_dept', '社会保障和就业支出')
>>> function_class_by_name("八、社会保障和就业")
'208'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Literal

CodeKind = Literal["function", "economic_dept", "economic_gov"]

_CODE = re.compile(r"^[\[【(（]?\s*(\d{3}(?:\d{2}){0,2})\s*[\]】)）]?$")
_ENUMERATOR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十百零\d]+[）)]|[一二三四五六七八九十百零]+[、.．]|\d+[、.．]\s*)"
)
_SPACES = re.compile(r"\s+")
_TRANS = str.maketrans({"（": "(", "）": ")"})


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = resources.files("jixiao.codes").joinpath("classification.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {section: {str(k): str(v) for k, v in entries.items()} for section, entries in data.items()}


def names(kind: CodeKind) -> Mapping[str, str]:
    """Every code of ``kind`` known here, mapped to its official name."""
    return _tables()[kind]


def normalise_code(text: str) -> str | None:
    """A printed code (``2080101``, ``[2080101]``, ``【208】``) → its digits, or None if it is not one."""
    match = _CODE.match(text.strip())
    return match.group(1) if match else None


def join_code(parts: Iterable[str]) -> str | None:
    """Join the 类/款/项 cells of one row: ``['208', '01', '01']`` → ``'2080101'``; blanks are skipped.

    A 类 has 3 digits, a 款 or 项 2 (a single-digit 款 such as ``1`` is zero-padded). Returns None
    when the first part is not a 3-digit 类 or a later part is not a 1–2 digit number.
    """
    pieces = [p.strip() for p in parts if p and p.strip()]
    if not pieces or not (len(pieces[0]) == 3 and pieces[0].isdigit()):
        return None
    code = pieces[0]
    for piece in pieces[1:]:
        if not piece.isdigit() or len(piece) > 2:
            return None
        code += piece.zfill(2)
    return code


def code_kind(code: str) -> CodeKind | None:
    """Which classification a 3/5/7-digit code belongs to, by its leading digit (2 / 3 / 5)."""
    if not code.isdigit() or len(code) not in (3, 5, 7):
        return None
    if code[0] == "2":
        return "function"
    if len(code) == 7:
        return None
    return {"3": "economic_dept", "5": "economic_gov"}.get(code[0])  # type: ignore[return-value]


def level(code: str) -> str | None:
    """类 (3 digits), 款 (5) or 项 (7)."""
    return {3: "类", 5: "款", 7: "项"}.get(len(code)) if code.isdigit() else None


def name_of(code: str) -> str | None:
    """The official name of ``code`` where this table has it (all 类, the 经济分类 款 printed in practice)."""
    kind = code_kind(code)
    return None if kind is None else names(kind).get(code)


def class_name(code: str) -> str | None:
    """The name of the 类 a code belongs to: ``2080101`` → ``社会保障和就业支出``."""
    return name_of(code[:3]) if len(code) >= 3 else None


def _bare(name: str) -> str:
    """Compare-friendly 科目 name: no enumerator, no spaces, no (类) marker, no trailing 支出."""
    text = _SPACES.sub("", _ENUMERATOR.sub("", name)).translate(_TRANS)
    text = text.replace("(类)", "")
    return text.removesuffix("支出") or text


@cache
def _function_index() -> dict[str, str]:
    index = {_bare(name): code for code, name in names("function").items()}
    for alias, code in _tables()["function_aliases"].items():
        index.setdefault(_bare(alias), code)
    return index


def function_class_by_name(name: str) -> str | None:
    """The 功能分类 类 code for a printed class name, ignoring enumerators and a trailing 支出.

    ``（八）社会保障和就业支出`` and ``八、社会保障和就业`` both give ``'208'``; older names
    (``医疗卫生与计划生育支出`` → ``'210'``) are known too. None when the name is not a 类.
    """
    return _function_index().get(_bare(name))
