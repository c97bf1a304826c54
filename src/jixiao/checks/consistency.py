"""Consistency within a document: projects across tables (C1xx), names (C2xx), years (C4xx), 目录 (C5xx).

Enters: a ``ParsedDocument`` (project codes, names and funds from the 项目支出表, the 项目绩效目标汇总表
and the project target forms; the department's name wherever it is printed; the year of the title,
the headings, the tables and the narrative) or a ``Disclosure`` (its 目录 against the tables it
carries). Leaves: problems where the same thing is stated two ways: one project code with two names
or one name with two codes, a code of the wrong length, a project with funds but no targets, a
budget stated differently, a count of projects in the text that the tables contradict, a
department named differently, a year other than the document's, a table listed but missing.

A comparison is made only where both sides are printed: a 部门 document with no target tables is not
told its projects lack targets, and a table the 目录 lists but the text says is empty (本部门无政府性
基金预算…) is an info, not an error.

>>> project_key("机关事业单位 职业年金（2023年）")
'机关事业单位职业年金(2023年)'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from jixiao.checks.context import Context, amount_text, decimals
from jixiao.checks.engine import forms_of
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.ingest.forms.disclosure_tables import KIND_NAMES, TARGET_KINDS, table_kind
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure, TocEntry
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc
from jixiao.model.money import normalise_digits

_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(10**8),
}
_SPACES = re.compile(r"\s+")

# ---------------------------------------------------------------------------------------------
# projects: every place a document names a project, with its code and funds


@dataclass(frozen=True)
class ProjectMention:
    """A project as one table or form prints it."""

    name: str
    code: str | None
    amount: Decimal | None
    unit: str
    source: str  # the table or form, in Chinese: 《2023年项目支出预算表》
    kind: str  # expenditure_table / summary / target_form
    has_targets: bool
    loc: Loc | None
    table_id: int  # which table or form (mentions of one table share it)


@lru_cache(maxsize=8192)
def project_key(name: str) -> str:
    """A project name for comparison: no spaces, ASCII brackets."""
    return _SPACES.sub("", name).replace("（", "(").replace("）", ")").strip('“”"')


def _expenditure_mentions(form: Disclosure) -> Iterator[ProjectMention]:
    for table in form.tables:
        if table.kind != "project_expenditure":
            continue
        unit = table.unit or form.unit or "万元"
        for row in table.rows:
            if row.is_total or row.code_kind == "unit" or not row.name.strip():
                continue
            column = next(iter(row.values), None)
            amount = row.values.get(column) if column else None
            code = row.codes.get("project")
            yield ProjectMention(
                row.name.strip(),
                code,
                amount,
                unit,
                f"《{table.title}》",
                "expenditure_table",
                False,
                row.cells.get(column) if column else row.loc,
                id(table),
            )


def _summary_mentions(summary: ProjectTargetSummary) -> Iterator[ProjectMention]:
    title = f"《{summary.title or '项目绩效目标汇总表'}》"
    coded = any(row.code for row in summary.rows if not row.is_unit)
    for row in summary.rows:
        if row.is_unit or not row.name.strip() or (coded and not row.code):
            continue  # a row without a code among coded projects is a heading or subtotal
        yield ProjectMention(
            row.name.strip(),
            row.code,
            row.total,
            summary.unit,
            title,
            "summary",
            bool(row.indicators),
            row.loc,
            id(summary),
        )


def _form_mention(form: ProjectTargetDeclaration) -> ProjectMention | None:
    if not form.project_name:
        return None
    return ProjectMention(
        form.project_name.strip(),
        form.project_code,
        form.budget,
        form.budget_unit,
        f"项目“{form.project_name.strip()}”的绩效目标表",
        "target_form",
        bool(form.indicators),
        form.cells.get("project_code") or form.cells.get("project_name") or form.loc,
        id(form),
    )


def project_mentions(document: ParsedDocument) -> list[ProjectMention]:
    """Every project the document prints, in document order."""
    mentions: list[ProjectMention] = []
    for form in forms_of(document):
        if isinstance(form, Disclosure):
            mentions.extend(_expenditure_mentions(form))
        elif isinstance(form, ProjectTargetSummary):
            mentions.extend(_summary_mentions(form))
        elif isinstance(form, ProjectTargetDeclaration):
            mention = _form_mention(form)
            if mention is not None:
                mentions.append(mention)
    return mentions


def _mentions(document: ParsedDocument, ctx: Context) -> list[ProjectMention]:
    return ctx.memo(("consistency-projects", id(document)), lambda: project_mentions(document))


def _list(names: Iterable[str], limit: int = 5) -> str:
    items = list(dict.fromkeys(names))
    shown = "、".join(f"“{n}”" for n in items[:limit])
    return shown + (f"等 {len(items)} 个" if len(items) > limit else "")


@rule(
    "C101",
    Severity.ERROR,
    "同一项目编码对应不同的项目名称",
    "项目编码在一个文件中应唯一地对应一个项目。同一编码在项目支出表、项目绩效目标汇总表或项目绩效目标表中"
    "出现不同名称时，或是名称改过未同步，或是编码抄错。文件中没有项目编码时不适用。",
    "例：编码 410191230000000004974 在汇总表中为“干部档案室建设及档案数字化工作经费”，在目标表中为"
    "“干部信息管理系统建设及数字化档案经费”。",
    applies_to=ParsedDocument,
    suggestion="以预算系统中的项目库为准，统一各表的项目名称和编码。",
)
def code_with_two_names(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    by_code: dict[str, list[ProjectMention]] = {}
    for mention in _mentions(document, ctx):
        if mention.code:
            by_code.setdefault(mention.code, []).append(mention)
    if not by_code:
        yield NotApplicable("文件中没有项目编码")
        return
    for code, mentions in by_code.items():
        names = {project_key(m.name): m for m in mentions}
        if len(names) < 2:
            continue
        described = "；".join(f"{m.source}为“{m.name}”" for m in names.values())
        yield Problem(
            message=f"项目编码 {code} 对应不同的项目名称：{described}",
            locations=tuple(m.loc for m in names.values()),
            expected="一个编码一个名称",
            actual="、".join(m.name for m in names.values()),
        )


@rule(
    "C102",
    Severity.ERROR,
    "同一项目名称对应不同的项目编码",
    "同一项目在文件中应使用同一编码。同一名称出现两个以上编码，说明项目重复列示或编码抄错；"
    "一张表中许多项目都如此（整份项目清单以另一套编码重复了一遍）时合并为一条报告。文件中没有项目编码时不适用。",
    "例：《项目绩效目标汇总表》中“城乡居民基本养老保险”既编为 410191230000000004968，又编为 410191230000000004083。",
    applies_to=ParsedDocument,
    suggestion="删除重复列示的项目，或改正抄错的编码。",
)
def name_with_two_codes(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    by_name: dict[str, list[ProjectMention]] = {}
    for mention in _mentions(document, ctx):
        if mention.code:
            by_name.setdefault(project_key(mention.name), []).append(mention)
    if not by_name:
        yield NotApplicable("文件中没有项目编码")
        return
    conflicts = {key: ms for key, ms in by_name.items() if len({m.code for m in ms}) > 1}
    # a list printed twice with two sets of codes is already reported while reading (F070)
    repeated = {(loc.file, loc.table) for f in document.findings if f.code == "F070" for loc in f.locations}
    conflicts = {
        key: ms
        for key, ms in conflicts.items()
        if not all(m.loc is not None and (m.loc.file, m.loc.table) in repeated for m in ms)
    }
    if not conflicts and repeated:
        yield NotApplicable("项目清单重复列示，读取时已报告（F070）")
        return
    if len(conflicts) >= 3:
        sources = "、".join(dict.fromkeys(m.source for ms in conflicts.values() for m in ms))
        first = next(iter(conflicts.values()))
        codes = "、".join(dict.fromkeys(m.code or "" for m in first))
        yield Problem(
            message=f"{sources}中 {len(conflicts)} 个项目各有两个以上编码，项目清单疑似以不同编码重复列示："
            f"{_list(ms[0].name for ms in conflicts.values())}（如“{first[0].name}”编为 {codes}）",
            locations=tuple(ms[1].loc for ms in list(conflicts.values())[:5]),
            expected="每个项目一个编码",
            actual=f"{len(conflicts)} 个项目有多个编码",
        )
        return
    for mentions in conflicts.values():
        codes = "、".join(dict.fromkeys(m.code or "" for m in mentions))
        yield Problem(
            message=f"项目“{mentions[0].name}”在{mentions[0].source}等处编为 {codes}，同一项目不应有多个编码",
            locations=tuple(dict.fromkeys(m.loc for m in mentions)),
            expected="一个编码",
            actual=codes,
        )


@rule(
    "C103",
    Severity.ERROR,
    "项目编码位数与其他项目不一致",
    "同一文件的项目编码出自同一项目库，位数相同（如 21 位）。个别编码多一位或少一位，多为录入错误。"
    "编码少于 3 个或位数各不相同（没有占多数的位数）时不适用。",
    "例：21 位编码中有一个 4101912300000000009630（22 位）。",
    applies_to=ParsedDocument,
    suggestion="按项目库核对该项目编码。",
)
def code_length(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    codes = {m.code: m for m in _mentions(document, ctx) if m.code and m.code.isdigit() and len(m.code) >= 8}
    if len(codes) < 3:
        yield NotApplicable("项目编码不足 3 个")
        return
    lengths = Counter(len(code) for code in codes)
    usual, count = lengths.most_common(1)[0]
    if count * 2 <= len(codes):
        yield NotApplicable("项目编码位数没有占多数的一种")
        return
    for code, mention in codes.items():
        if len(code) != usual:
            yield Problem(
                message=f"{mention.source}中项目“{mention.name}”的编码 {code} 为 {len(code)} 位，"
                f"其余 {count} 个项目编码均为 {usual} 位",
                locations=(mention.loc,),
                expected=f"{usual} 位",
                actual=f"{len(code)} 位",
            )


def _has_target_tables(mentions: list[ProjectMention]) -> bool:
    return any(m.kind in ("summary", "target_form") for m in mentions)


def _positive(mention: ProjectMention) -> bool:
    return mention.amount is not None and mention.amount > 0


@rule(
    "C104",
    Severity.ERROR,
    "有预算资金的项目没有绩效目标",
    "每个安排了资金的项目都应设置绩效目标。文件附有项目绩效目标表或汇总表时，项目支出表中有金额的项目、"
    "以及汇总表中有金额却没有指标的项目，都应在某张目标表中有指标（按项目名称对应）。"
    "文件不含任何项目绩效目标表时不适用。",
    "例：项目支出表列有“就业补助 260.0 万元”，但项目绩效目标汇总表中该项目没有任何指标。",
    applies_to=ParsedDocument,
    suggestion="为该项目补充绩效目标和指标，或说明未设目标的原因。",
)
def project_without_targets(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    mentions = _mentions(document, ctx)
    if not _has_target_tables(mentions):
        yield NotApplicable("文件不含项目绩效目标表")
        return
    with_targets = {project_key(m.name) for m in mentions if m.has_targets}
    if not with_targets:
        yield NotApplicable("目标表中没有读到任何指标")
        return
    in_table = {project_key(m.name) for m in mentions if m.kind == "expenditure_table"}
    reported: set[str] = set()
    for mention in mentions:
        key = project_key(mention.name)
        if key in with_targets or key in reported or not _positive(mention):
            continue
        if mention.kind == "target_form":
            continue  # a target form without indicators is F101's
        if mention.kind == "summary" and in_table and key not in in_table:
            continue  # a project the 项目支出表 does not know by this name: C105's
        reported.add(key)
        yield Problem(
            message=f"{mention.source}中项目“{mention.name}”安排 {amount_text(mention.amount, mention.unit)}，"
            "但文件所附绩效目标表中没有该项目的绩效指标",
            locations=(mention.loc,),
            expected="项目绩效指标",
            actual="（无）",
        )


@rule(
    "C105",
    Severity.WARNING,
    "绩效目标表中的项目不在项目支出表中",
    "项目绩效目标表（汇总表）列的项目应是项目支出表中的项目。目标表中的项目名称在项目支出表中找不到时，"
    "多为名称不一致（如同一项目两处叫法不同）或多列了项目；若项目支出表中有金额相同而名称不同的项目，一并提示。"
    "文件没有项目支出表时不适用。",
    "例：汇总表列“干部档案室建设及档案数字化工作经费 15.0 万元”，项目支出表中同为 15.0 万元的项目叫"
    "“干部信息管理系统建设及数字化档案经费”。",
    applies_to=ParsedDocument,
    suggestion="统一两表的项目名称，或删去不属于本年预算的项目。",
)
def target_project_not_in_expenditure(
    document: ParsedDocument, ctx: Context
) -> Iterator[Problem | NotApplicable]:
    mentions = _mentions(document, ctx)
    table = [m for m in mentions if m.kind == "expenditure_table"]
    if not table:
        yield NotApplicable("文件没有项目支出表")
        return
    names = {project_key(m.name) for m in table}
    reported: set[str] = set()
    for mention in mentions:
        key = project_key(mention.name)
        if mention.kind == "expenditure_table" or key in names or key in reported:
            continue
        reported.add(key)
        same = [
            m.name
            for m in table
            if mention.amount is not None and m.amount is not None and _same_amount(m, mention)
        ]
        hint = f"；项目支出表中金额相同的项目：{_list(same, 3)}" if same and len(same) <= 3 else ""
        yield Problem(
            message=f"{mention.source}中的项目“{mention.name}”"
            f"（{amount_text(mention.amount, mention.unit)}）在项目支出表中找不到{hint}",
            locations=(mention.loc,),
            expected="项目支出表中的项目名称",
            actual=mention.name,
        )


def _in_yuan(mention: ProjectMention) -> Decimal | None:
    if mention.amount is None or mention.unit not in _FACTORS:
        return None
    return mention.amount * _FACTORS[mention.unit]


def _same_amount(first: ProjectMention, second: ProjectMention) -> bool:
    a, b = _in_yuan(first), _in_yuan(second)
    if a is None or b is None:
        return False
    allowance = max(
        Decimal(5) * Decimal(10) ** -(decimals(m.amount) + 1) * _FACTORS[m.unit]
        for m in (first, second)
        if m.amount is not None
    )
    return abs(a - b) <= allowance


@rule(
    "C106",
    Severity.ERROR,
    "同一项目的预算金额在各表中不一致",
    "同一项目（按名称对应）在项目支出表、项目绩效目标汇总表和项目绩效目标表中的预算金额应相同"
    "（按各表单位换算，容许显示舍入）。",
    "例：“城乡居民基本养老保险”在项目支出表中为 1850.0 万元，在汇总表中为 1860.0 万元。",
    applies_to=ParsedDocument,
    suggestion="核对项目预算金额，改正抄错的一方。",
)
def project_amount_differs(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    by_name: dict[str, list[ProjectMention]] = {}
    for mention in _mentions(document, ctx):
        if mention.amount is not None:
            by_name.setdefault(project_key(mention.name), []).append(mention)
    groups = [ms for ms in by_name.values() if len({m.table_id for m in ms}) > 1]
    if not groups:
        yield NotApplicable("没有在两处以上列出金额的项目")
        return
    for mentions in groups:
        first = mentions[0]
        for other in mentions[1:]:
            if other.table_id == first.table_id or _same_amount(first, other):
                continue
            yield Problem(
                message=f"项目“{first.name}”的预算金额：{first.source}为 {amount_text(first.amount, first.unit)}，"
                f"{other.source}为 {amount_text(other.amount, other.unit)}",
                locations=(first.loc, other.loc),
                expected=amount_text(first.amount, first.unit),
                actual=amount_text(other.amount, other.unit),
            )
            break


# -- counts and amounts of projects stated in the text

_PROJECT_COUNT = (
    re.compile(
        r"(?:编报|设置|填报|申报|编制)[^。；;，,]{0,12}?绩效目标的[^。；;，,]{0,10}?项目(?:共)?\s*(\d+)\s*个"
    ),
    re.compile(r"共\s*(\d+)\s*个项目[^。；;]{0,6}(?:实行|编报|设置|开展)[^。；;]{0,6}绩效目标"),
)


_INVOLVED = re.compile(r"涉及[^。；;]{0,10}?(\d+(?:\.\d+)?)\s*(万元|元)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


@dataclass(frozen=True)
class _Statement:
    count: int
    amount: Decimal | None
    unit: str
    text: str
    loc: Loc | None


def _statements(form: Disclosure) -> list[_Statement]:
    found: list[_Statement] = []
    for section in form.sections:
        for paragraph in section.text.split("\n"):
            text = _THOUSANDS.sub("", normalise_digits(paragraph))
            for pattern in _PROJECT_COUNT:
                match = pattern.search(text)
                if match is None:
                    continue
                tail = text[match.start() : match.start() + 80]
                amount_match = _INVOLVED.search(tail)
                quote = tail[: amount_match.end() if amount_match else match.end() - match.start()]
                loc = next((f.loc for f in section.figures if f.loc is not None), section.loc)
                found.append(
                    _Statement(
                        int(match.group(1)),
                        Decimal(amount_match.group(1)) if amount_match else None,
                        amount_match.group(2) if amount_match else "万元",
                        quote.replace(",", "，"),
                        loc,
                    )
                )
                break
    return found


def _targeted_projects(form: Disclosure) -> list[ProjectMention]:
    """Projects with a target form or a summary row (one per name)."""
    seen: dict[str, ProjectMention] = {}
    for target in form.project_targets:
        mention = _form_mention(target)
        if mention is not None:
            seen.setdefault(project_key(mention.name), mention)
    for summary in form.project_summaries:
        for mention in _summary_mentions(summary):
            seen.setdefault(project_key(mention.name), mention)
    return list(seen.values())


@rule(
    "C107",
    Severity.WARNING,
    "说明中的绩效目标项目个数与所附目标表不符",
    "说明写“编报绩效目标的项目 N 个”而文件附有项目绩效目标表（或汇总表）时，N 应等于所附项目数。"
    "文件不附项目目标表时不适用（说明可以只报个数）。",
    "例：说明称编报绩效目标的项目 5 个，文件附了 4 张项目绩效目标表。",
    applies_to=Disclosure,
    suggestion="核对项目个数，或补齐所附的项目绩效目标表。",
)
def project_count(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    statements = ctx.memo(("consistency-statements", id(form)), lambda: _statements(form))
    projects = _targeted_projects(form)
    if not statements or not projects:
        yield NotApplicable("说明未写项目个数或文件未附项目目标表")
        return
    for statement in statements:
        if statement.count != len(projects):
            yield Problem(
                message=f"说明称“{statement.text}”，项目 {statement.count} 个，而文件所附项目绩效目标表"
                f"共 {len(projects)} 个项目",
                locations=(statement.loc, projects[0].loc),
                expected=f"{len(projects)} 个",
                actual=f"{statement.count} 个",
            )


@rule(
    "C108",
    Severity.WARNING,
    "说明中绩效目标项目涉及的资金与所附目标表合计不符",
    "说明写“编报绩效目标的项目 N 个，涉及项目预算资金 X 万元”，而所附项目绩效目标表正好 N 个时，"
    "X 应等于这些项目预算金额之和（容许显示舍入）。个数不符时由 C107 报告，此处不再比较。",
    "例：说明称涉及项目预算资金 3328.13 万元，所附 5 张项目目标表的资金合计 3351.33 万元。",
    applies_to=Disclosure,
    suggestion="核对所附各项目的资金，或改正说明中的合计。",
)
def project_amount_total(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    statements = ctx.memo(("consistency-statements", id(form)), lambda: _statements(form))
    statements = [s for s in statements if s.amount is not None]
    projects = _targeted_projects(form)
    if not statements or not projects:
        yield NotApplicable("说明未写项目资金或文件未附项目目标表")
        return
    amounts = [_in_yuan(p) for p in projects]
    if any(a is None for a in amounts):
        yield NotApplicable("有项目目标表未填预算金额")
        return
    total = sum((a for a in amounts if a is not None), Decimal(0))
    for statement in statements:
        if statement.count != len(projects) or statement.amount is None:
            continue
        factor = _FACTORS[statement.unit]
        stated = statement.amount * factor
        allowance = Decimal(10) ** -decimals(statement.amount) * factor
        if abs(stated - total) > allowance:
            places = Decimal(1).scaleb(-decimals(statement.amount))
            in_unit = format((total / factor).quantize(places, rounding=ROUND_HALF_UP), "f")
            yield Problem(
                message=f"说明称“{statement.text}”，涉及资金 {amount_text(statement.amount, statement.unit)}，"
                f"而所附 {len(projects)} 个项目的预算资金合计 {in_unit} {statement.unit}",
                locations=(statement.loc,),
                expected=f"{in_unit} {statement.unit}",
                actual=amount_text(statement.amount, statement.unit),
            )


# ---------------------------------------------------------------------------------------------
# names

_ORG_WORDS = r"(?:局|委员会|委|办公室|办事处|检察院|法院|院|中心|厅|署|所|馆|队|社|政府)"
_ABOUT_ITSELF = r"(?=收入|支出|部门|单位|预算|决算|“|\"|三公|财政|一般公共|政府性|国有资本|机关运行|机构运转|无|共有|年初|全年)"
_ORG_BEFORE_YEAR = re.compile(
    r"(?:^|[。；;\n，,])\s*([\u4e00-\u9fa5（）()]{2,30}?"
    + _ORG_WORDS
    + r")\s*(?:19|20)\d{2}\s*年(?:度)?\s*"
    + _ABOUT_ITSELF
)
_ORG_AFTER_YEAR = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度)?[，,]\s*([\u4e00-\u9fa5（）()]{2,30}?"
    + _ORG_WORDS
    + r")(?=收入|支出|部门|单位|财政|共有|下属)"
)
_SELF_PREFIX = re.compile(r"^(第[一二三四五六七八九十]+部分|纳入|其中|本年|截至|截止)")
_NOT_ITSELF = re.compile(
    r"^(根据|按照|依据|由|经|向|为|在|对|与|和|及|配合|会同|协助|协调|联合|上级|市|省|区|县)"
)


def _subsequence(short: str, full: str) -> bool:
    position = 0
    for char in short:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def compatible_names(first: str, second: str) -> bool:
    """Two ways of naming one body: one is the other with words left out (省检察院 / 江苏省人民检察院)."""
    a, b = project_key(first), project_key(second)
    return _subsequence(a, b) or _subsequence(b, a)


@dataclass(frozen=True)
class _Named:
    name: str
    where: str
    loc: Loc | None


def _names_in(document: ParsedDocument) -> tuple[_Named | None, list[_Named]]:
    """The document's own department name (the reference) and every other place it is named."""
    reference: _Named | None = None
    others: list[_Named] = []
    unit_document = False  # a 单位 document: its project forms name the 主管部门, not the unit
    for form in forms_of(document):
        department = getattr(form, "department", None)
        if not department:
            continue
        if unit_document and isinstance(form, (ProjectTargetDeclaration, ProjectTargetSummary)):
            continue
        if isinstance(form, Disclosure):
            where = "封面及表头"
        elif isinstance(form, DeptTargetDeclaration):
            where = "部门整体绩效目标表"
        elif isinstance(form, ProjectTargetSummary):
            where = f"《{form.title or '项目绩效目标汇总表'}》"
        elif isinstance(form, ProjectTargetDeclaration):
            where = f"项目“{form.project_name or ''}”的绩效目标表"
        elif isinstance(form, SelfEvaluation):
            where = "绩效自评表"
        else:
            continue
        named = _Named(department.strip(), where, getattr(form, "loc", None))
        if reference is None:
            reference = named
        else:
            others.append(named)
        if isinstance(form, Disclosure):
            others.extend(_narrative_names(form))
            unit_document = "单位" in (form.title or "") and "部门" not in (form.title or "")
    return reference, others


def _narrative_names(form: Disclosure) -> Iterator[_Named]:
    for section in form.sections:
        for paragraph in (section.title, *section.text.split("\n")):
            for pattern in (_ORG_BEFORE_YEAR, _ORG_AFTER_YEAR):
                for match in pattern.finditer(paragraph):
                    name = _SELF_PREFIX.sub("", match.group(1))
                    if len(name) >= 3 and not _NOT_ITSELF.match(name):
                        loc = next((f.loc for f in section.figures if f.loc is not None), section.loc)
                        yield _Named(name, f"情况说明“{section.title.strip() or '正文'}”", loc)


@rule(
    "C201",
    Severity.WARNING,
    "部门名称前后不一致",
    "同一文件中部门（单位）的名称应一致：封面、表头“部门名称”、目标表和情况说明（“××局 2023 年收入总计……”）"
    "可以用简称，但简称应能从全称中删字得到（如“省检察院”之于“江苏省人民检察院”）。名称对不上的，多为从其他"
    "部门的文件套改而来。",
    "例：表头为“郑州高新技术产业开发区管委会人力资源局”，情况说明写“人力资源和社会保障局 2023 年无政府性基金预算”。",
    applies_to=ParsedDocument,
    suggestion="统一全文的部门名称。",
)
def department_name(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    reference, others = _names_in(document)
    if reference is None:
        yield NotApplicable("文件中没有部门名称")
        return
    reported: set[str] = set()
    for named in others:
        key = project_key(named.name)
        if key in reported or compatible_names(named.name, reference.name):
            continue
        reported.add(key)
        yield Problem(
            message=f"{named.where}中的部门名称“{named.name}”与{reference.where}的“{reference.name}”不一致",
            locations=(named.loc, reference.loc),
            expected=reference.name,
            actual=named.name,
        )


# ---------------------------------------------------------------------------------------------
# years

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_STATEMENT_HEADING = re.compile(r"(预算|决算)[^，。；]{0,12}?(情况说明|编制说明|说明|公开|报告)")


def _main_year(document: ParsedDocument) -> tuple[int | None, object | None]:
    for form in document.forms:
        year = getattr(form, "year", None)
        if year:
            return int(year), form
    return None, None


@dataclass(frozen=True)
class _YearPlace:
    year: int
    text: str
    where: str
    loc: Loc | None


def _year_places(document: ParsedDocument, main: object) -> Iterator[_YearPlace]:
    for form in forms_of(document):
        if form is main:
            continue
        year = getattr(form, "year", None)
        if year:
            title = getattr(form, "title", None) or getattr(form, "project_name", None) or ""
            yield _YearPlace(int(year), title, f"“{title}”", getattr(form, "loc", None))
    if isinstance(main, Disclosure):
        for section in main.sections:
            title = normalise_digits(section.title)
            if _STATEMENT_HEADING.search(title) and "执行" not in title and "上年" not in title:
                for match in _YEAR.finditer(title):
                    yield _YearPlace(int(match.group(1)), section.title.strip(), "标题", section.loc)
        for table in main.tables:
            for match in _YEAR.finditer(normalise_digits(table.title)):
                yield _YearPlace(int(match.group(1)), table.title, "表名", table.loc)
        for entry in main.toc_entries:
            for match in _YEAR.finditer(normalise_digits(entry.title)):
                yield _YearPlace(int(match.group(1)), entry.title, "目录", entry.loc)


@rule(
    "C401",
    Severity.ERROR,
    "标题、表名或所附表单的年度与文件年度不符",
    "一份 N 年的预算（决算）文件，其各部分标题（“N 年度部门决算情况说明”）、各表表名、目录和所附目标表的年度"
    "都应是 N 年。标题写成上一年，多为套用旧文件未改。说明上年执行情况的标题不检查。",
    "例：2024 年度部门决算的“第三部分 上海市普陀区财政局 2023 年度部门决算情况说明”。",
    applies_to=ParsedDocument,
    suggestion="把标题和表名中的年度改为本文件年度。",
)
def title_year(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    year, main = _main_year(document)
    if year is None or main is None:
        yield NotApplicable("文件没有年度")
        return
    seen: set[tuple[int, str]] = set()
    for place in _year_places(document, main):
        if place.year == year or (place.year, place.text) in seen:
            continue
        seen.add((place.year, place.text))
        yield Problem(
            message=f"{place.where}“{place.text}”为 {place.year} 年，而本文件为 {year} 年",
            locations=(place.loc,),
            expected=f"{year} 年",
            actual=f"{place.year} 年",
        )


_COMPARED_YEAR = re.compile(r"(?:比|较|与|同)\s*((?:19|20)\d{2})\s*年(?:度)?")
_EXECUTED_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?当年预算执行数")
_PLANNED_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?预算安排")


@rule(
    "C402",
    Severity.ERROR,
    "情况说明中与上年比较的年度写错",
    "N 年文件中“比（与）××年相比”“××年当年预算执行数”指的应是上一年（N−1 年），“××年预算安排”应是 N 年。"
    "写成本年或更早的年份，多为套用旧文件未改。同一段中多处同样的错误合并报告。",
    "例：2026 年部门预算说明写“财政拨款收入 9628.22 万元，比 2026 年预算增加 793.14 万元”。",
    applies_to=Disclosure,
    suggestion="把比较年度改为上一年。",
)
def comparison_year(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if form.year is None:
        yield NotApplicable("文件没有年度")
        return
    year = form.year
    for section in form.sections:
        for paragraph in section.text.split("\n"):
            text = normalise_digits(paragraph)
            printed = paragraph if len(paragraph) == len(text) else text
            wrong: list[str] = []
            for pattern, expected in (
                (_COMPARED_YEAR, year - 1),
                (_EXECUTED_YEAR, year - 1),
                (_PLANNED_YEAR, year),
            ):
                for match in pattern.finditer(text):
                    if int(match.group(1)) != expected:
                        end = min(len(text), match.end() + 12)
                        wrong.append(printed[max(0, match.start() - 12) : end])
            if not wrong:
                continue
            loc = next(
                (f.loc for f in section.figures if f.loc and normalise_digits(f.text) in text), section.loc
            )
            more = f"等 {len(wrong)} 处" if len(wrong) > 1 else ""
            yield Problem(
                message=f"情况说明“{section.title.strip() or '正文'}”中“…{wrong[0]}…”{more}：本文件为 {year} 年，"
                f"比较的应是 {year - 1} 年（本年预算安排为 {year} 年）",
                locations=(loc,),
                expected=f"{year - 1} 年",
                actual=wrong[0],
            )


_AS_OF = re.compile(
    r"(?:截至|截止)(?:到)?\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日|((?:19|20)\d{2})\s*年(?:度)?(?:期末|末)"
)


@rule(
    "C403",
    Severity.WARNING,
    "决算说明中资产等情况的截止日期不是决算年度末",
    "N 年度决算说明的国有资产占用等情况应截至 N 年 12 月 31 日（N 年末）。写成其他年份的，多为套用上年文本。"
    "预算文件（截至上年某日）不检查。",
    "例：2024 年度部门决算写“截至 2023 年 12 月 31 日，共有车辆 0 辆”。",
    applies_to=Disclosure,
    suggestion="改为决算年度末的数据和日期。",
)
def final_as_of_year(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if form.stage != "final" or form.year is None:
        yield NotApplicable("不是决算文件或没有年度")
        return
    for section in form.sections:
        for paragraph in section.text.split("\n"):
            text = normalise_digits(paragraph)
            for match in _AS_OF.finditer(text):
                found = int(match.group(1) or match.group(2))
                if found == form.year:
                    continue
                loc = next(
                    (f.loc for f in section.figures if f.loc and normalise_digits(f.text) in text),
                    section.loc,
                )
                yield Problem(
                    message=f"情况说明“{section.title.strip() or '正文'}”中“{match.group(0)}”：本文件为 {form.year} 年度决算，"
                    f"应截至 {form.year} 年末",
                    locations=(loc,),
                    expected=f"{form.year} 年 12 月 31 日",
                    actual=match.group(0),
                )


_TOPIC_YEAR = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*)?([^，。；,]{0,30}?)((?:19|20)\d{2})\s*年(?:度)?[，,]?\s*"
    r"([^，。；,]{0,30}?)(收入|支出|“三公”|三公|机关运行经费|政府采购|预算|决算)"
)
_NOT_THIS_YEAR = re.compile(r"比|与|较|同|上年|截至|截止|以来|期末|年末|执行|计划|规划|开始")


@rule(
    "C404",
    Severity.ERROR,
    "情况说明中本年收支的年度写错",
    "情况说明逐段以“（部门）N 年收入预算……”“N 年度‘三公’经费……”开头叙述本年数字。一份 N 年的文件里这样的句子"
    "写成其他年份，多为套用旧文件未改（这些数字也因此不会与表格比较）。与上年比较、上年执行数、截至某日的句子不检查。",
    "例：2025 年部门预算说明写“2024 年，上海市普陀区商务委员会收入预算 37151.47 万元”。",
    applies_to=Disclosure,
    suggestion="把句首年度改为本文件年度。",
)
def statement_year(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if form.year is None:
        yield NotApplicable("文件没有年度")
        return
    seen: set[str] = set()
    for section in form.sections:
        for paragraph in section.text.split("\n"):
            normalised = normalise_digits(paragraph)
            printed = paragraph if len(paragraph) == len(normalised) else normalised
            offset = 0
            for sentence in normalised.split("。"):
                start, offset = offset, offset + len(sentence) + 1
                match = _TOPIC_YEAR.match(sentence)
                if match is None or int(match.group(2)) == form.year:
                    continue
                following = sentence[match.end() : match.end() + 6]
                if _NOT_THIS_YEAR.search(match.group(1) + match.group(3) + following):
                    continue
                quote = printed[start + match.start() : start + match.end()].strip()
                if quote in seen:
                    continue
                seen.add(quote)
                loc = next(
                    (
                        f.loc
                        for f in section.figures
                        if f.loc and normalise_digits(f.text) in normalise_digits(paragraph)
                    ),
                    section.loc,
                )
                yield Problem(
                    message=f"情况说明“{section.title.strip() or '正文'}”中“{quote}……”为 {match.group(2)} 年，"
                    f"而本文件为 {form.year} 年",
                    locations=(loc,),
                    expected=f"{form.year} 年",
                    actual=f"{match.group(2)} 年",
                )


# ---------------------------------------------------------------------------------------------
# 目录

#: Words that name a table kind in a statement that it is empty (本部门无政府性基金预算…).
_EMPTY_WORDS: dict[str, tuple[str, ...]] = {
    "gov_fund": ("政府性基金",),
    "state_capital": ("国有资本经营",),
    "three_public": ("三公",),
    "procurement": ("政府采购",),
    "project_expenditure": ("项目支出",),
    "operating_costs": ("机关运行经费",),
    "project_target_summary": ("绩效目标",),
    "project_target": ("绩效目标",),
}
_NONE = re.compile(r"无|没有|未安排|不涉及|空表|为空|为零")
_SENTENCE = re.compile(r"[^。；;\n]+")


def _present_kinds(form: Disclosure) -> set[str]:
    kinds = {t.kind for t in form.tables}
    if form.dept_targets:
        kinds.add("dept_target")
    if form.project_summaries or form.project_targets:
        kinds.update({"project_target_summary", "project_target"})
    return kinds


def _sentences(form: Disclosure) -> list[str]:
    """The narrative's sentences as printed (headings included)."""
    sentences: list[str] = []
    for section in form.sections:
        for text in (section.title, section.text):
            normalised = normalise_digits(text)
            printed = text if len(text) == len(normalised) else normalised
            sentences.extend(printed[m.start() : m.end()].strip() for m in _SENTENCE.finditer(normalised))
    return sentences


def _empty_statement(entry: TocEntry, sentences: list[str]) -> str | None:
    """Where the document says the table would be empty (本部门无政府性基金预算拨款安排的支出)."""
    if entry.kind is None:
        return None
    if _NONE.search(entry.title):
        return entry.title
    words = _EMPTY_WORDS.get(entry.kind)
    if not words:
        return None
    about = [s for s in sentences if any(w in s for w in words)]
    said_none = next((s for s in about if _NONE.search(s)), None)
    if said_none is not None:
        return said_none
    zero = re.compile("(?:" + "|".join(map(re.escape, words)) + r")[^，,]{0,20}?(?<![\d.])0(?:\.0+)?\s*万?元")
    said_zero: str | None = next((s for s in about if zero.search(normalise_digits(s))), None)
    return said_zero


def _missing(form: Disclosure, ctx: Context) -> list[tuple[TocEntry, str | None]]:
    """目录 entries whose table is absent, each with the sentence saying it would be empty (or None)."""

    def compute() -> list[tuple[TocEntry, str | None]]:
        present = _present_kinds(form)
        titles = [_title_key(t.title) for t in form.tables]
        absent = [
            e
            for e in form.toc_entries
            if e.kind is not None
            and e.kind not in present
            and _title_key(e.title) not in titles
            and not _printed_after_toc(form, e, ctx)
        ]
        sentences = _sentences(form) if absent else []
        return [(entry, _empty_statement(entry, sentences)) for entry in absent]

    return ctx.memo(("consistency-missing", id(form)), compute)


_TITLE_NOISE = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?|[“”\"\s]|^[一二三四五六七八九十\d]+[、.．]")


def _title_key(title: str) -> str:
    return _TITLE_NOISE.sub("", normalise_digits(title))


def _position(loc: Loc | None) -> tuple[int, int]:
    return (loc.page or 0, loc.line or 0) if loc is not None else (0, 0)


def _printed_after_toc(form: Disclosure, entry: TocEntry, ctx: Context) -> bool:
    """The table's title is printed after the 目录 (its grid may just not have been read): not missing."""
    if ctx.source is None or not form.toc_entries:
        return False
    end = max(_position(e.loc) for e in form.toc_entries)
    return any(
        _position(p.loc) > end and len(p.text) <= 60 and table_kind(p.text) == entry.kind
        for p in ctx.source.paragraphs
    )


def _toc_label(entry: TocEntry) -> str:
    return f"{entry.number}、{entry.title}" if entry.number else entry.title


@rule(
    "C501",
    Severity.ERROR,
    "目录列出的表格在文件中缺失",
    "目录中列出的公开表格应全部附在文件中。按表名识别表格类型后比对：目录有而正文没有的，除非文中说明本部门"
    "没有这类收支（此时报 C502 提示），都报告。没有目录时不适用。",
    "例：目录列有“二、部门收入总体情况表”，文件中没有这张表。",
    applies_to=Disclosure,
    suggestion="补附缺失的表格；确无数据的，也应公开空表并注明“本部门无此项收支”。",
)
def toc_table_missing(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not any(e.kind for e in form.toc_entries):
        yield NotApplicable("文件没有目录或目录中没有表格")
        return
    for entry, statement in _missing(form, ctx):
        if statement is None:
            yield Problem(
                message=f"目录列出“{_toc_label(entry)}”，但文件中没有这张{KIND_NAMES.get(entry.kind or '', '表')}",
                locations=(entry.loc,),
                expected=entry.title,
                actual="（缺）",
            )


@rule(
    "C502",
    Severity.INFO,
    "目录列出的表格未附，文中说明无此项收支",
    "目录列出而文件未附的表格，若情况说明写明本部门没有这类收支（如“无政府性基金预算拨款安排的支出”），"
    "不算缺表错误；但按公开要求，空表一般也应附上并注明，故作提示。",
    "例：目录列有“九、政府性基金预算支出情况表”，文件未附，说明中称“2023 年无政府性基金预算拨款安排的支出”。",
    applies_to=Disclosure,
    suggestion="附上空表并注明“本部门无此项收支，故本表为空”。",
)
def toc_table_empty(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if not any(e.kind for e in form.toc_entries):
        yield NotApplicable("文件没有目录或目录中没有表格")
        return
    for entry, statement in _missing(form, ctx):
        if statement is not None:
            yield Problem(
                message=f"目录列出“{_toc_label(entry)}”，文件未附此表；文中说明“{statement[:60]}”",
                locations=(entry.loc,),
                expected=entry.title,
                actual="（未附，说明无此项）",
            )


@rule(
    "C503",
    Severity.WARNING,
    "附有的表格目录中没有列出",
    "文件附有的公开表格应在目录中列出，以便查阅。目录列出表格不足 3 张（可能没有读到完整目录）时不适用。",
    "例：文件附有《政府采购支出预算表》，目录中没有这张表。",
    applies_to=Disclosure,
    suggestion="在目录中补列该表。",
)
def table_not_in_toc(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    listed = {e.kind for e in form.toc_entries if e.kind}
    if len(listed) < 3:
        yield NotApplicable("目录列出的表格不足 3 张")
        return
    seen: set[str] = set()
    for table in form.tables:
        if table.kind in listed or table.kind in seen or table.kind in TARGET_KINDS:
            continue
        seen.add(table.kind)
        yield Problem(
            message=f"文件附有《{table.title}》，目录中没有列出",
            locations=(table.loc,),
            expected="目录中列出",
            actual="（未列）",
        )


_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def number_value(text: str) -> int | None:
    """``十三`` → 13, ``04`` → 4, ``公开01表`` → 1, ``表3-1`` → None (a sub-table)."""
    text = _SPACES.sub("", text or "")
    if re.search(r"\d+\s*[-－]\s*\d+", text):
        return None
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group(0))
    chinese = re.search(r"[零一二三四五六七八九十]+", text)
    if not chinese:
        return None
    word: str = chinese.group(0)
    if "十" in word:
        tens, _, units = word.partition("十")
        value: int = (_CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CHINESE_DIGITS.get(units, 0) if units else 0
        )
        return value
    return _CHINESE_DIGITS.get(word) if len(word) == 1 else None


def _sequence_problem(numbers: list[int]) -> str | None:
    counts = Counter(numbers)
    repeated = sorted(n for n, c in counts.items() if c > 1)
    if repeated:
        return f"编号 {'、'.join(map(str, repeated))} 重复"
    ordered = sorted(counts)
    gaps = [n for n in range(ordered[0], ordered[-1] + 1) if n not in counts]
    if gaps:
        return f"缺少编号 {'、'.join(map(str, gaps))}"
    return None


@rule(
    "C504",
    Severity.WARNING,
    "目录或表格编号不连续或重复",
    "目录中表格的序号、表格自身的编号（如“公开01表”）应从头连续、不重复。跳号或重号多为删表、增表后未重新编号。"
    "表格编号的跳号只在没有目录时检查（有目录时缺表由 C501 报告）。",
    "例：目录为一、二、四、五……，缺“三”。",
    applies_to=Disclosure,
    suggestion="重新编排目录和表格编号。",
)
def numbering(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    toc_numbers = [
        (n, e) for e in form.toc_entries if e.kind and (n := number_value(e.number or "")) is not None
    ]
    table_numbers = [(n, t) for t in form.tables if (n := number_value(t.number or "")) is not None]
    if len(toc_numbers) < 3 and len(table_numbers) < 3:
        yield NotApplicable("目录和表格都没有编号")
        return
    if len(toc_numbers) >= 3:
        problem = _sequence_problem([n for n, _ in toc_numbers])
        if problem:
            yield Problem(
                message=f"目录中表格的序号不连续：{problem}（{'、'.join(e.number or '' for _, e in toc_numbers)}）",
                locations=(toc_numbers[0][1].loc,),
                expected="连续的序号",
                actual=problem,
            )
    if len(table_numbers) >= 3:
        problem = _sequence_problem([n for n, _ in table_numbers])
        if problem and ("重复" in problem or not toc_numbers):
            yield Problem(
                message=f"表格编号不连续：{problem}（{'、'.join(t.number or '' for _, t in table_numbers)}）",
                locations=tuple(t.loc for _, t in table_numbers[:1]),
                expected="连续、不重复的编号",
                actual=problem,
            )
