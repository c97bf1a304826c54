"""Form completeness (F1xx): the content a declaration, self-evaluation or disclosure must carry.

Enters: the recognised forms. Leaves: findings for required parts that are absent (no 指标,
no 年度目标, no 预算资金, no 总分), and published tables left blank without saying why.
Column shifts and malformed cells are found while recognising (F0xx, docs/codes.md).

>>> is_blank_template(Disclosure(tables=[DisclosureTable(kind="three_public", title="三公")]))
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.checks.context import Context
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.ingest.forms.disclosure_tables import KIND_NAMES
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure, DisclosureTable
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Severity


def _name(form: DeptTargetDeclaration | ProjectTargetDeclaration | SelfEvaluation) -> str:
    if isinstance(form, ProjectTargetDeclaration):
        return f"项目“{form.project_name or form.title or '（未命名）'}”的绩效目标表"
    if isinstance(form, SelfEvaluation):
        subject = form.project_name if form.scope == "project" else form.department
        return f"“{subject or form.title or '（未命名）'}”的绩效自评表"
    return f"“{form.department or form.title or '（未命名）'}”的部门整体绩效目标表"


@rule(
    "F101",
    Severity.ERROR,
    "绩效目标表没有任何绩效指标",
    "部门整体和项目支出绩效目标表都必须列出三级绩效指标及其指标值，否则目标无法衡量、"
    "无法监控和评价。表头已识别但一条指标也没有读到时报告。",
    "例：项目“信息化运维”的目标表只有年度目标和资金，指标区为空。",
    applies_to=(DeptTargetDeclaration, ProjectTargetDeclaration),
    suggestion="按产出、效益、满意度（及成本）一级指标补充三级指标和指标值。",
)
def no_indicators(form: DeptTargetDeclaration | ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem]:
    if not form.indicators:
        yield Problem(
            f"{_name(form)}没有任何绩效指标",
            locations=(form.loc,),
            expected="至少一条三级指标",
            actual="0 条",
        )


_GOAL_FIELDS = ("goals", "annual_goal", "overall_goal")


@rule(
    "F102",
    Severity.WARNING,
    "绩效目标表没有填写年度目标",
    "目标表应写明年度总体目标（部门整体）或年度目标（项目），指标据此设置。"
    "年度目标栏为空、或整张表读不到任何目标内容时报告。",
    "例：项目目标表“年度目标”一栏为空。",
    applies_to=(DeptTargetDeclaration, ProjectTargetDeclaration),
    suggestion="补写年度目标，说明本年要完成的工作和达到的效果。",
)
def no_goal(form: DeptTargetDeclaration | ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem]:
    has_goal = bool(form.goals) or bool((getattr(form, "annual_goal", None) or "").strip())
    has_goal = has_goal or bool((getattr(form, "overall_goal", None) or "").strip())
    if not has_goal:
        yield Problem(
            f"{_name(form)}没有填写年度目标", locations=(form.loc,), expected="年度目标", actual="（空）"
        )


@rule(
    "F103",
    Severity.WARNING,
    "项目绩效目标表没有填写预算资金",
    "项目支出绩效目标表应列明项目的预算资金（年度资金总额），以便与项目支出预算表核对、"
    "并检查目标与资金是否匹配。",
    "例：项目“就业补助”的目标表“预算资金”为空。",
    applies_to=ProjectTargetDeclaration,
    suggestion="填写年度资金总额及其中财政资金，金额与项目支出预算表一致。",
)
def project_without_budget(form: ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem]:
    if form.budget is None:
        yield Problem(
            f"{_name(form)}没有填写预算资金",
            locations=(form.cells.get("budget") or form.loc,),
            expected="预算资金金额",
            actual="（空）",
        )


@rule(
    "F104",
    Severity.ERROR,
    "绩效自评表没有总分或没有评价等级",
    "自评表须给出自评总分和等级（优、良、中、差）。两者都读不到时报告；"
    "只缺其中一个时同样报告，并说明缺的是哪一个。",
    "例：自评表各指标都有得分，但“总分”行为空。",
    applies_to=SelfEvaluation,
    suggestion="填写自评总分，并按得分区间确定等级。",
)
def evaluation_without_total(form: SelfEvaluation, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not form.indicators:
        yield NotApplicable("未读到评分表")
        return
    missing = [
        word
        for word, value in (("总分", form.total_reported), ("等级", form.grade_reported))
        if value is None
    ]
    if missing:
        yield Problem(
            f"{_name(form)}没有填写{'和'.join(missing)}",
            locations=(form.loc,),
            expected="、".join(missing),
            actual="（空）",
        )


_ZERO_STATEMENT = re.compile(
    r"(?:为|是)\s*0(?:\.0+)?\s*(?:万元|元)|无[^，,。；;]{0,12}?(?:收入|支出|经费|安排|预算)|未安排|没有"
)


def _blank(table: DisclosureTable) -> bool:
    return not any(value is not None for row in table.rows for value in row.values.values())


#: ``预算为0.95万元`` / ``支出决算为 12 万元``: an amount the narrative states for a subject.
_AMOUNT_STATEMENT = re.compile(r"(?:预算|决算|支出|安排|拨款)数?\s*为\s*(\d[\d,]*(?:\.\d+)?)\s*万?元")


def _keywords(table: DisclosureTable) -> list[str]:
    subject = KIND_NAMES.get(table.kind, table.title)
    words = ("三公", "政府性基金", "国有资本", "机关运行", "项目支出")
    return [w for w in words if w in subject or w in table.title]


def _narrative_about(form: Disclosure, table: DisclosureTable) -> tuple[str | None, str | None]:
    """Sentences of the 情况说明 about this table's subject: one saying it is nil (为0万元 /
    无此项支出) and one stating a non-zero amount for it (年初预算为0.95万元)."""
    keywords = _keywords(table)
    if not keywords:
        return None, None
    nil: str | None = None
    amount: str | None = None
    for section in form.sections:
        for sentence in re.split(r"[。；\n]", section.text):
            if not any(k in sentence for k in keywords):
                continue
            values = [v.replace(",", "") for v in _AMOUNT_STATEMENT.findall(sentence)]
            if amount is None and any(float(v) != 0 for v in values if v.replace(".", "", 1).isdigit()):
                amount = sentence.strip()
            if nil is None and _ZERO_STATEMENT.search(sentence):
                nil = sentence.strip()
    return nil, amount


def is_blank_template(form: Disclosure) -> bool:
    """Every table without a single amount: a blank template, not a published document."""
    return bool(form.tables) and all(_blank(table) for table in form.tables)


TEMPLATE = NotApplicable("整套表格均无金额，是空白模板")


def _blank_tables(form: Disclosure, ctx: Context) -> list[tuple[DisclosureTable, str | None, str | None]]:
    """Each blank table without its own statement, with the narrative's sentence saying it is nil
    and the one stating an amount for it (read once for F105, F106 and F107)."""

    def compute() -> list[tuple[DisclosureTable, str | None, str | None]]:
        return [
            (table, *_narrative_about(form, table))
            for table in form.tables
            if _blank(table) and not table.empty_statement
        ]

    return ctx.memo(("blank_tables", id(form)), compute)


@rule(
    "F105",
    Severity.WARNING,
    "公开表格为空且未说明原因",
    "按预算、决算公开的要求，没有数据的表格也要公开，并在表内注明“本部门无此项支出”等原因。"
    "表格没有任何金额、表内也没有说明，且情况说明里也找不到“为0万元”“无此项支出”之类的解释时报告；"
    "情况说明里有解释的，报 F106（提示）。",
    "例：《政府性基金预算支出情况表》只有表头，表内和说明中都没有写明“本单位无政府性基金预算支出”。",
    applies_to=Disclosure,
    suggestion="在空表内注明“本部门（单位）无此项收支，故本表为空”。",
)
def blank_table_unexplained(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if is_blank_template(form):
        yield TEMPLATE
        return
    for table, nil, amount in _blank_tables(form, ctx):
        if nil is None and amount is None:  # an amount stated is F107's
            yield Problem(
                f"《{table.title}》没有任何金额，表内和情况说明中都没有说明原因",
                locations=(table.loc,),
                expected="注明“无此项收支”",
                actual="空表",
            )


@rule(
    "F107",
    Severity.ERROR,
    "公开表格为空，但情况说明给出了金额",
    "表格没有任何金额，而情况说明却写明了该项的非零预算或决算数（如“三公”经费年初预算为0.95万元），"
    "表格漏填或漏印了数据，两处必有一处错误。",
    "例：《财政拨款“三公”经费支出决算表》为空，情况说明写“三公经费财政拨款支出年初预算为0.95万元”。",
    applies_to=Disclosure,
    suggestion="补全表格中的数据，使之与情况说明一致。",
)
def blank_table_with_amount_in_narrative(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if is_blank_template(form):
        yield TEMPLATE
        return
    for table, _, amount in _blank_tables(form, ctx):
        if amount is not None:
            yield Problem(
                f"《{table.title}》没有任何金额，而情况说明写道：“{amount}”",
                locations=(table.loc,),
                expected="表内列出情况说明所述金额",
                actual="空表",
            )


@rule(
    "F106",
    Severity.INFO,
    "公开表格为空，原因只写在情况说明中",
    "表格没有任何金额、表内没有说明，但情况说明里写了该项为 0 或无此项支出。"
    "数据并不矛盾，但按公开要求，空表本身也应注明原因，便于单独阅读表格的人理解。",
    "例：《“三公”经费支出情况表》为空，情况说明写“2023年“三公”经费支出预算为0万元”。",
    applies_to=Disclosure,
    suggestion="在表内也注明“本部门无此项支出”或填 0。",
)
def blank_table_explained_elsewhere(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if is_blank_template(form):
        yield TEMPLATE
        return
    for table, nil, amount in _blank_tables(form, ctx):
        if nil is not None and amount is None:  # a nil statement another sentence contradicts is F107's
            yield Problem(
                f"《{table.title}》没有任何金额，表内没有说明；情况说明写道：“{nil}”",
                locations=(table.loc,),
                expected="表内注明原因或填 0",
                actual="空表",
            )
