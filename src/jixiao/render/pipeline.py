"""From a parsed document to the bytes of a generated form or report.

Enters: a ``ParsedDocument`` (read from any format Jixiao reads, or from the JSON ``jixiao parse``
prints) and the output format. Leaves: the bytes of one file: each form of the document becomes a
``Doc`` (``jixiao.render.layout``) by its builder, and the ``Doc`` is written by the format's writer.

Which document a form becomes:

- 绩效目标申报表 (部门整体, 项目支出) and 项目绩效目标汇总表: the form itself (``render.forms``); in
  xlsx, the form a department fills in: 运算符号 and 计量单位 in columns of their own, with drop-downs;
- 绩效自评: in xlsx the 绩效自评表 with the computed scores; in docx, pdf and html the 自评报告
  (``render.report``), whose 附件 is the same 自评表;
- 部门预算/决算公开: the package, 情况说明 computed from the tables (``render.disclosure``).

A document with several forms (a 部门整体 form and its 项目 forms) gives one file, the forms one
after the other (in xlsx, one sheet each).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal, get_args

from pydantic import ValidationError

from jixiao.ingest.load import parse_file
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import Form, ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.render.errors import RenderError
from jixiao.render.layout import Block, Doc, PageBreak

Format = Literal["xlsx", "docx", "pdf", "html"]
FORMATS: tuple[str, ...] = get_args(Format)


def read_input(path: Path) -> list[ParsedDocument]:
    """The documents in ``path``: the JSON ``jixiao parse`` printed (one or several documents), or
    any file Jixiao reads, parsed."""
    if path.suffix.lower() != ".json":
        return [parse_file(path)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RenderError("G003", path.name, str(exc)[:200]) from exc
    items = data.get("documents") if isinstance(data, dict) and "documents" in data else [data]
    if not isinstance(items, list):
        raise RenderError("G003", path.name, "“documents”不是列表")
    try:
        return [ParsedDocument.model_validate(item) for item in items]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RenderError("G003", path.name, f"{where}：{first['msg']}") from exc


def form_doc(form: Form, to: Format) -> Doc:
    """The ``Doc`` one form becomes in format ``to``."""
    if isinstance(form, SelfEvaluation):
        from jixiao.scoring.engine import score_evaluation

        if to == "xlsx":
            from jixiao.render.forms import form_doc as table_doc

            return table_doc(form)
        from jixiao.render.report import self_evaluation_report

        return self_evaluation_report(form, score_evaluation(form))
    if isinstance(form, Disclosure):
        from jixiao.render.disclosure import disclosure_doc

        return disclosure_doc(form)
    if isinstance(form, DeptTargetDeclaration | ProjectTargetDeclaration | ProjectTargetSummary):
        from jixiao.render.forms import form_doc as declaration_doc

        return declaration_doc(form, fill_in=to == "xlsx")
    raise RenderError("G005", type(form).__name__)


def document_doc(document: ParsedDocument, to: Format) -> Doc:
    """Every form of ``document`` in one ``Doc``, each from a new page."""
    if to not in FORMATS:
        raise RenderError("G004", to)
    docs = [form_doc(form, to) for form in document.forms]
    if not docs:
        raise RenderError("G002", document.file)
    first = docs[0]
    blocks: list[Block] = list(first.blocks)
    for doc in docs[1:]:
        blocks.append(PageBreak())
        blocks.extend(doc.blocks)
    return Doc(title=first.title, blocks=tuple(blocks), header=first.header, subtitle=first.subtitle)


def write(doc: Doc, to: Format) -> bytes:
    """``doc`` written as ``to``."""
    if to == "xlsx":
        from jixiao.render.xlsx import write_xlsx

        return write_xlsx(doc)
    if to == "docx":
        from jixiao.render.docx import write_docx

        return write_docx(doc)
    if to == "pdf":
        from jixiao.render.pdf import write_pdf

        return write_pdf(doc)
    if to == "html":
        from jixiao.render.html import write_html

        return write_html(doc).encode("utf-8")
    raise RenderError("G004", str(to))


def render(document: ParsedDocument, to: Format) -> bytes:
    """The file ``document`` generates in format ``to``."""
    return write(document_doc(document, to), to)
