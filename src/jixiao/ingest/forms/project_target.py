"""项目支出绩效目标申报表 / 项目绩效目标表 → ``ProjectTargetDeclaration``.

Enters: a ``SourceDocument``. Leaves: one ``ProjectTargetDeclaration`` per project form found, and the
findings raised while reading it. Summaries (项目绩效目标汇总表), self-evaluations (自评) and
department-wide forms give nothing here.

A project form is a table with the label 项目名称 and at least two more of its labels (项目负责人, 项目类别,
项目属性, 预算资金, 资金性质, 年度目标…), plus an indicator tree or a 年度目标. Values are read next to
their labels, or right below them when the export put each value on its own row. Where the export
misaligned labels and values (a person's name after 项目名称, the project's name in a label cell), the
name is recovered by content and the swap reported. A budget printed without a unit is taken as 万元
and flagged as assumed; one printed in 元 that is implausibly small is flagged as suspicious.

>>> from jixiao.ingest.readers.text import read_text
>>> text = (
...     "项目名称\\t就业培训\\n项目负责人\\t张三\\n预算资金\\t50\\t资金性质\\t一般公共预算\\n"
...     "一级指标\\t二级指标\\t三级指标\\t指标值\\n产出指标\\t数量指标\\t培训人次\\t≥200人次\\n"
... )
>>> forms, findings = recognise(read_text(text.encode(), "p.txt"))
>>> (forms[0].project_name, forms[0].budget, forms[0].budget_unit, forms[0].budget_unit_assumed)
('就业培训', Decimal('50'), '万元', True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from jixiao.ingest.forms.common import find_department, norm, table_mentions
from jixiao.ingest.forms.dept_target import (
    Block,
    Hit,
    Label,
    block_cells,
    blocks_of,
    department_from_title,
    form_title,
    form_year,
    indicator_source,
    is_self_evaluation,
    read_goals,
    read_measures,
    scan_labels,
    title_paragraphs,
    value_of,
)
from jixiao.ingest.forms.indicator_table import find_indicator_header, read_indicator_rows
from jixiao.ingest.source import Cell, SourceDocument, Table
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.model.document import Form
from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc
from jixiao.model.money import parse_amount

CODES: dict[str, str] = {
    "F003": "预算资金的金额单位存疑",
    "F030": "项目名称与其他栏目错位，已按内容恢复",
    "F031": "项目绩效目标表中未找到绩效指标表",
    "F032": "预算资金未注明金额单位，按万元读取",
}

PROJECT_LABELS: Mapping[str, Label] = {
    "项目名称": Label("project_name", "value"),
    "项目编码": Label("project_code", "value"),
    "项目代码": Label("project_code", "value"),
    "项目编号": Label("project_code", "value"),
    "项目负责人": Label("leader", "value"),
    "负责人": Label("leader", "value"),
    "联系电话": Label("phone", "value"),
    "联系方式": Label("phone", "value"),
    "项目类别": Label("category", "value"),
    "项目类型": Label("category", "value"),
    "项目属性": Label("attribute", "value"),
    "项目性质": Label("attribute", "value"),
    "项目计划实施时间": Label("period", "value"),
    "项目实施时间": Label("period", "value"),
    "项目起止时间": Label("period", "value"),
    "实施期限": Label("period", "value"),
    "项目期": Label("period", "value"),
    "实施周期": Label("period", "value"),
    "计划开始日期": Label("period_start", "value"),
    "计划开始时间": Label("period_start", "value"),
    "开始日期": Label("period_start", "value"),
    "计划完成日期": Label("period_end", "value"),
    "计划完成时间": Label("period_end", "value"),
    "计划结束日期": Label("period_end", "value"),
    "完成日期": Label("period_end", "value"),
    "预算资金": Label("budget", "value"),
    "年度预算资金": Label("budget", "value"),
    "年度资金总额": Label("budget", "value"),
    "年度资金申请总额": Label("budget", "value"),
    "预算金额": Label("budget", "value"),
    "资金总额": Label("budget_total", "value"),
    "项目资金总额": Label("budget_total", "value"),
    "项目总金额": Label("budget_total", "value"),
    "项目总预算": Label("budget_total", "value"),
    "资金性质": Label("fund_nature", "value"),
    "资金来源": Label("fund_nature", "value"),
    "年度目标": Label("annual_goal", "value"),
    "年度绩效目标": Label("annual_goal", "value"),
    "项目年度目标": Label("annual_goal", "value"),
    "年度总体目标": Label("annual_goal", "value"),
    "主管部门": Label("department", "value"),
    "预算部门": Label("department", "value"),
    "主管部门及代码": Label("department", "value"),
    "详细目标": Label("goals", "block"),
    "绩效目标明细": Label("goals", "block"),
    "具体目标": Label("goals", "block"),
    "分目标": Label("goals", "block"),
    "本年度实施计划": Label("plans", "block"),
    "年度实施计划": Label("plans", "block"),
    "实施计划": Label("plans", "block"),
    "保障绩效目标实现的措施": Label("measures", "block"),
    "保障措施": Label("measures", "block"),
    "项目基本情况": Label("basic", "group"),
    "项目资金情况": Label("funds", "group"),
    "项目资金": Label("funds", "group"),
    "绩效目标情况": Label("targets", "group"),
}

_SCALARS = (
    "project_name",
    "project_code",
    "leader",
    "phone",
    "category",
    "attribute",
    "period",
    "fund_nature",
)
_PROJECT_WORDS = (
    "项目",
    "资金",
    "经费",
    "补贴",
    "补助",
    "费用",
    "建设",
    "工程",
    "专项",
    "工作",
    "招聘",
    "培训",
    "资助",
)
_COMMON_VALUES = frozenset({"其它", "其他", "新增项目", "延续项目", "新增", "延续", "一次性", "经常性"})
_PLAN_LABEL = re.compile(r"^计划\s*\d+\s*[:：]?$")
#: A budget in 元 below this is not a credible project budget (the form most likely meant 万元).
SMALL_BUDGET_IN_YUAN = Decimal(10000)


def recognise(doc: SourceDocument) -> tuple[list[Form], list[Finding]]:
    forms: list[Form] = []
    findings: list[Finding] = []
    for table in doc.tables:
        # a form names its project: most tables print no such label, and need no closer look
        if not table_mentions(table, *_PROJECT_NAME_LABELS):
            continue
        header = find_indicator_header(table)
        last = header.first_row - 1 if header is not None else table.n_rows
        hits = scan_labels(table, PROJECT_LABELS, 1, last)
        if not _has_project_labels(hits):
            continue
        annual_goal = any(h.label.field == "annual_goal" and h.label.kind == "value" for h in hits)
        if header is None and not annual_goal and indicator_source(doc, table) is None:
            continue
        title = form_title(doc, table)
        if title is not None and "汇总" in title[0]:
            continue
        if is_self_evaluation(doc, table, header):
            continue
        form, form_findings = read_project_form(doc, table, hits, last)
        forms.append(form)
        findings.extend(form_findings)
    return forms, findings


#: The labels of the project's name (``match_label`` finds them inside a cell's text, after ``norm``).
_PROJECT_NAME_LABELS = tuple(text for text, label in PROJECT_LABELS.items() if label.field == "project_name")


def _has_project_labels(hits: list[Hit]) -> bool:
    """A project form prints its name and at least two other values (code, leader, period…)."""
    fields = {h.label.field for h in hits if h.label.kind == "value"}
    return "project_name" in fields and len(fields) >= 3


def read_project_form(
    doc: SourceDocument, table: Table, hits: list[Hit], last: int
) -> tuple[ProjectTargetDeclaration, list[Finding]]:
    file = doc.file
    findings: list[Finding] = []
    title = form_title(doc, table)
    paragraphs = title_paragraphs(doc, table)
    form = ProjectTargetDeclaration(
        title=title[0] if title is not None else None,
        loc=title[1] if title is not None else table.loc,
        year=form_year(doc, table, title[0] if title is not None else None),
    )
    values: dict[str, tuple[Hit, Cell]] = {}
    for hit in hits:
        if hit.label.kind != "value" or hit.label.field in values:
            continue
        cell = value_of(table, hit, hits)
        if cell is not None:
            values[hit.label.field] = (hit, cell)
    for name in _SCALARS:
        if name in values:
            setattr(form, name, values[name][1].text)
            form.cells[name] = values[name][1].loc
    if "annual_goal" in values:
        form.annual_goal = values["annual_goal"][1].text
        form.cells["annual_goal"] = values["annual_goal"][1].loc
    if form.period is None and "period_start" in values and "period_end" in values:
        form.period = f"{values['period_start'][1].text}至{values['period_end'][1].text}"
        form.cells["period"] = values["period_start"][1].loc
    blocks = blocks_of(hits, last)
    findings.extend(_recover_name(table, form, hits, values, blocks, file))
    form.department = (
        (values["department"][1].text if "department" in values else None)
        or find_department(paragraphs)
        or department_from_title(form.title)
    )
    budget = values.get("budget") or values.get("budget_total")  # the year's amount, else the project's
    if budget is not None:
        findings.extend(_read_budget(table, form, *budget, file))
    for block in blocks:
        kind = block.hit.label.field
        if kind == "goals":
            form.goals.extend(read_goals(table, block, hits))
        elif kind == "plans":
            for row in block.rows:
                texts = [
                    c.text
                    for c in block_cells(table, block, hits, row)
                    if not _PLAN_LABEL.match(norm(c.text))
                ]
                form.plans.extend(texts)
        elif kind == "measures":
            form.measures.update(read_measures(table, block, hits))
    source = indicator_source(doc, table)
    if source is None:
        findings.append(
            Finding(
                code="F031",
                severity=Severity.WARNING,
                message=f"{file} 表{table.index}：项目“{form.project_name or ''}”的绩效目标表中没有找到一级/二级/三级指标表头，"
                "未读取绩效指标",
                locations=(table.loc,),
            )
        )
    else:
        indicator_table, header = source
        indicators, indicator_findings = read_indicator_rows(indicator_table, header, file=file)
        form.indicators = indicators
        findings.extend(indicator_findings)
    return form, findings


def _read_budget(
    table: Table, form: ProjectTargetDeclaration, hit: Hit, cell: Cell, file: str
) -> list[Finding]:
    findings: list[Finding] = []
    amount = parse_amount(cell.text)
    form.budget = amount
    form.cells["budget"] = cell.loc
    unit = hit.unit or _row_unit(table, hit)
    if unit is not None:
        form.budget_unit = unit
    else:
        form.budget_unit = "万元"
        form.budget_unit_assumed = True
        findings.append(
            Finding(
                code="F032",
                severity=Severity.INFO,
                message=f"{file} 表{table.index}：项目“{form.project_name or ''}”的预算资金“{cell.text}”未注明单位，按万元读取",
                locations=(cell.loc,),
            )
        )
    if amount is not None and form.budget_unit == "元" and amount < SMALL_BUDGET_IN_YUAN:
        findings.append(
            Finding(
                code="F003",
                severity=Severity.WARNING,
                message=f"{file} 表{table.index}：项目“{form.project_name or ''}”的预算资金标注单位为元，金额仅 "
                f"{cell.text} 元，与项目规模明显不符，疑似应为万元",
                locations=(cell.loc, hit.cell.loc),
                expected="万元",
                actual=f"{cell.text} 元",
                suggestion="核对预算资金的金额单位（表头“预算资金(元)”是否应为“预算资金(万元)”）。",
            )
        )
    return findings


_MONEY_UNIT_IN_BRACKETS = re.compile(r"[(（](万元|元|千元)[)）]")


def _row_unit(table: Table, hit: Hit) -> str | None:
    """A unit printed by the label heading the amount's row: 项目资金（元） | 项目资金总额 | 4,100,000.00."""
    for cell in table.rows[hit.row - 1][: hit.col - 1]:
        source = table.cell(*cell.covered_by) if cell.covered_by is not None else cell
        if source is not None and source.text:
            m = _MONEY_UNIT_IN_BRACKETS.search(source.text)
            if m:
                return m.group(1)
    return None


_SHORT_WORD = re.compile(r"[\u4e00-\u9fa5]{2,4}")


def _is_person(text: str) -> bool:
    t = norm(text)
    return (
        bool(_SHORT_WORD.fullmatch(t)) and t not in _COMMON_VALUES and not any(w in t for w in _PROJECT_WORDS)
    )


def _is_project_name(text: str) -> bool:
    t = norm(text)
    if len(t) < 4 or "绩效目标" in t or "申报表" in t or _is_person(t):
        return False
    return any(w in t for w in _PROJECT_WORDS)


def _recover_name(
    table: Table,
    form: ProjectTargetDeclaration,
    hits: list[Hit],
    values: dict[str, tuple[Hit, Cell]],
    blocks: list[Block],
    file: str,
) -> list[Finding]:
    """项目名称 followed by a person's name while the project's name sits in a label cell: swap back."""
    name = form.project_name
    if name is not None and not _is_person(name):
        return []
    used = {(h.row, h.col) for h in hits} | {(c.row, c.col) for _, c in values.values()}
    in_blocks = {row for block in blocks for row in block.rows}
    last = max((h.row for h in hits), default=0)
    orphans = [
        c
        for row in table.rows[:last]
        for c in row
        if c.text
        and c.covered_by is None
        and (c.row, c.col) not in used
        and c.row not in in_blocks
        and _is_project_name(c.text)
    ]
    if not orphans:
        return []
    orphan = orphans[0]
    form.project_name = orphan.text
    form.cells["project_name"] = orphan.loc
    message = f"{file} 表{table.index}：“项目名称”栏"
    if name is not None:
        message += f"填的是“{name}”（像是人名）"
        if form.leader is None:
            form.leader = name
            form.cells["leader"] = values["project_name"][1].loc
            message += "，已作为项目负责人"
    else:
        message += "没有填写内容"
    message += f"；项目名称按内容取“{orphan.text}”（第{orphan.row}行第{orphan.col}列）"
    locations: tuple[Loc, ...] = (orphan.loc,)
    if "project_name" in values:
        locations += (values["project_name"][1].loc,)
    return [
        Finding(
            code="F030",
            severity=Severity.WARNING,
            message=message,
            locations=locations,
            actual=name,
            expected=orphan.text,
        )
    ]
