"""Publication quality and plausibility (P): what a reviewer flags before a document goes public.

Enters: the source grid (paragraphs and cells as printed) and the recognised forms. Leaves:
findings for garbled characters, doubled or stray punctuation, unbalanced brackets, sentences
cut off, blank pages, a 单位 document calling itself 部门 (or the reverse), and project budgets
that cannot pay for the quantities their own targets promise (人数 × 元/人/月 × 12).

>>> _GARBLED.search("预算执行率达到\\ufffd%").group(0)
'\\ufffd'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.checks.completeness import is_blank_template
from jixiao.checks.context import Context, amount_text
from jixiao.checks.registry import NotApplicable, Problem, rule
from jixiao.ingest.source import Paragraph, SourceDocument, Table
from jixiao.model.declaration import ProjectTargetDeclaration
from jixiao.model.disclosure import Disclosure, DisclosureTable
from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Severity
from jixiao.model.indicators import Indicator
from jixiao.model.loc import Loc
from jixiao.model.target import Target

NO_SOURCE = "没有原文可查（只有解析后的模型）"

# ------------------------------------------------------------------------------------------ text


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    loc: Loc
    is_cell: bool


def _texts(source: SourceDocument) -> list[_Text]:
    """Every paragraph and non-empty cell, in reading order."""
    found: list[_Text] = []
    for block in source.blocks:
        if isinstance(block, Paragraph):
            if block.text:
                found.append(_Text(block.text, block.loc, False))
        else:
            for row in block.rows:
                found.extend(_Text(c.text, c.loc, True) for c in row if c.text)
    return found


def _source_texts(ctx: Context) -> list[_Text]:
    source = ctx.source
    return ctx.memo("publication_texts", lambda: _texts(source) if source is not None else [])


def _joined(ctx: Context) -> str:
    """All the text at once: one regex pass over it tells whether any item needs a closer look."""
    source = ctx.source
    return ctx.memo("publication_joined", lambda: source.full_text() if source is not None else "")


def _matches(
    ctx: Context, pattern: re.Pattern[str], gate: re.Pattern[str] | _Words
) -> Iterator[tuple[_Text, re.Match[str]]]:
    """The first match of ``pattern`` in each paragraph or cell. ``gate`` is a cheap pattern that
    every match of ``pattern`` also matches: one pass of it over the whole text usually shows
    there is nothing to look for (most documents have no garbled text)."""
    if gate.search(_joined(ctx)) is None:
        return
    for item in _source_texts(ctx):
        match = pattern.search(item.text)
        if match:
            yield item, match


_GARBLED = re.compile(
    r"[\ufffd\ue000-\uf8ff\u25a1]|锟斤拷|烫烫|屯屯|Ã.|â€|[\u0080-\u009f]|(?<=[\u4e00-\u9fff])\?{2,}|\?{2,}(?=[\u4e00-\u9fff])"
)

_GARBLED_GATE = re.compile(r"[\ufffd\ue000-\uf8ff\u25a1锟烫屯Ãâ\u0080-\u009f?]")


def _pattern_problems(
    ctx: Context,
    pattern: re.Pattern[str],
    gate: re.Pattern[str] | _Words,
    message: str,
    expected: Callable[[str], str] | None = None,
) -> Iterator[Problem]:
    """One problem per paragraph or cell where ``pattern`` matches: ``message`` with ``{}`` for the
    matched text, then an excerpt around it."""
    for item, match in _matches(ctx, pattern, gate):
        found = match.group(0)
        yield Problem(
            f"{message.format(found)}：{_excerpt(item.text, match.start(), match.end())}",
            locations=(item.loc,),
            actual=found,
            expected=expected(found) if expected is not None else None,
        )


def _excerpt(text: str, start: int, end: int, width: int = 14) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


@rule(
    "P101",
    Severity.WARNING,
    "乱码或无法显示的字符",
    "文字中出现替换符（�）、私用区字符、方框（□）、“锟斤拷”“烫烫”之类的编码错乱，或夹在汉字间的"
    "连串问号，说明文件在转换或导出时丢失了文字。每段或每个单元格只报告一次。",
    "例：“预算执行率达到�%”。",
    applies_to=ParsedDocument,
    suggestion="用原始文件重新导出，确认文字完整后再公开。",
)
def garbled_characters(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if ctx.source is None:
        yield NotApplicable(NO_SOURCE)
        return
    yield from _pattern_problems(ctx, _GARBLED, _GARBLED_GATE, "出现乱码字符“{}”")


_DOUBLED = re.compile(r"([。，、；：！？])\1+|[，、；：][。！？]|[。！？][，、；]|；，|，；|、，|，、")

_DOUBLED_GATE = re.compile(r"[。，、；：！？]{2}")


def _kept_mark(marks: str) -> str:
    """The mark to keep of a doubled pair: a closing 。！？ if there is one, else the first."""
    return marks[-1] if marks[-1] in "。！？" else marks[0]


@rule(
    "P102",
    Severity.WARNING,
    "标点重复或误用",
    "同一处连用两个句读标点（“。。”“；，”“，。”等），通常是编辑时删改留下的痕迹，公开前应更正。"
    "省略号（……）和破折号不在此列。",
    "例：“……和国有资本经营预算财政拨款。。”",
    applies_to=ParsedDocument,
    suggestion="删去多余的标点。",
)
def doubled_punctuation(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if ctx.source is None:
        yield NotApplicable(NO_SOURCE)
        return
    yield from _pattern_problems(ctx, _DOUBLED, _DOUBLED_GATE, "标点“{}”重复或误用", _kept_mark)


#: Opening and closing marks; full- and half-width brackets count as one pair (（款) is sloppy, not open).
_PAIRS = (("（(", "）)"), ("“", "”"), ("《", "》"), ("【", "】"))


_BRACKETS = re.compile(
    "[" + "".join(left + right for left, right in _PAIRS).replace("(", r"\(").replace(")", r"\)") + "]"
)


def _balance(text: str, left: str, right: str) -> int:
    return sum(text.count(c) for c in left) - sum(text.count(c) for c in right)


def _unbalanced(text: str) -> str | None:
    for left, right in _PAIRS:
        balance = _balance(text, left, right)
        if balance:
            marks = left if balance > 0 else right
            return next(c for c in text if c in marks)
    return None


def _paragraph_runs(source: SourceDocument) -> Iterator[tuple[str, Loc]]:
    """Paragraphs, with one left open joined to the next that closes it (a line or page break
    inside a bracket splits a paragraph in PDFs: 市场秩序科（粮食和物资 / 储备科）)."""
    pending: tuple[str, Loc] | None = None
    for block in source.blocks:
        if not isinstance(block, Paragraph) or not block.text:
            continue
        if pending is not None:
            text, loc = pending[0] + block.text, pending[1]
            pending = None
        else:
            text, loc = block.text, block.loc
        if (
            _BRACKETS.search(text)
            and any(_balance(text, left, right) > 0 for left, right in _PAIRS)
            and len(text) < 2000
        ):
            pending = (text, loc)
            continue
        yield text, loc
    if pending is not None:
        yield pending


@rule(
    "P103",
    Severity.INFO,
    "括号或引号不成对",
    "一段说明文字中左、右括号，左、右引号或书名号的数量不相等，常见于删改后漏删或漏补。"
    "被换行或分页拆开的段落先接回再数；表格单元格不检查（表头常把括号拆在两格里）。"
    "全角与半角括号混用（“（款)”）按成对处理。",
    "例：“因公出国（境费决算为0万元”。",
    applies_to=ParsedDocument,
    suggestion="补全或删去不成对的括号、引号。",
)
def unbalanced_brackets(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if ctx.source is None:
        yield NotApplicable(NO_SOURCE)
        return
    for text, loc in _paragraph_runs(ctx.source):
        mark = _unbalanced(text) if len(text) >= 8 and _BRACKETS.search(text) else None
        if mark is not None:
            index = text.find(mark)
            yield Problem(
                f"“{mark}”没有与之配对的符号：{_excerpt(text, index, index + 1)}",
                locations=(loc,),
                actual=mark,
            )


_TRAILING = re.compile(r"[，、,（(“《和及与或的]$")
_HEADING_LIKE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])"
)


@rule(
    "P104",
    Severity.WARNING,
    "句子不完整",
    "一段说明文字以逗号、顿号、左括号或“和”“的”等结束，且后面紧接着的是标题、表格或文件结尾，"
    "说明句子被截断了（删改时漏了后半句）。表格单元格和标题本身不检查。",
    "例：“2024年“三公”经费财政拨款支出预算为 0.95 万元，”之后直接是下一节标题。",
    applies_to=ParsedDocument,
    suggestion="补全句子。",
)
def incomplete_sentence(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    source = ctx.source
    if source is None:
        yield NotApplicable(NO_SOURCE)
        return
    blocks = source.blocks
    for index, block in enumerate(blocks):
        if not isinstance(block, Paragraph) or block.heading is not None or len(block.text) < 10:
            continue
        if not _TRAILING.search(block.text) or _HEADING_LIKE.match(block.text):
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        ends_section = (
            following is None
            or isinstance(following, Table)
            or following.heading is not None
            or bool(_HEADING_LIKE.match(following.text))
        )
        if ends_section:
            yield Problem(
                f"段落以“{block.text[-1]}”结束，后面没有接续的内容：…{block.text[-24:]}",
                locations=(block.loc,),
                actual=block.text[-1],
                expected="完整的句子（以句号结束）",
            )


@rule(
    "P105",
    Severity.WARNING,
    "PDF 中有空白页",
    "PDF 的某一页没有任何可读文字（空白页，或只有表格框线、图片）。公开文件中的空白页通常是排版时"
    "表格溢出或分页符多余造成的；若该页是图片（如组织机构图），可忽略。",
    "例：决算公开第 14 页只有一行空表格框线。",
    applies_to=ParsedDocument,
    suggestion="删除空白页，或调整表格分页。",
)
def blank_pages(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    source = ctx.source
    if source is None or not source.pages:
        yield NotApplicable("不是 PDF，没有分页" if source is not None else NO_SOURCE)
        return
    pages_with_text = {item.loc.page for item in _source_texts(ctx) if item.text.strip()}
    for page in range(1, source.pages + 1):
        if page not in pages_with_text:
            yield Problem(
                f"第 {page} 页没有任何文字（共 {source.pages} 页）",
                locations=(Loc(file=document.file, page=page),),
                actual="空白页",
            )


_UNIT_TITLE = re.compile(r"单位(?:预算|决算)")
_DEPT_TITLE = re.compile(r"部门(?:预算|决算)")


def _self_references(ctx: Context, word: str) -> list[_Text]:
    return [item for item in _source_texts(ctx) if not item.is_cell and word in item.text]


def _disclosure_scope(document: ParsedDocument) -> str | None:
    """单位 or 部门, from the title of the disclosure (``2025年区级单位预算``)."""
    for form in document.forms:
        if isinstance(form, Disclosure) and form.title:
            if _UNIT_TITLE.search(form.title):
                return "单位"
            if _DEPT_TITLE.search(form.title):
                return "部门"
    return None


@rule(
    "P106",
    Severity.WARNING,
    "单位公开文件自称“部门”（或部门文件自称“单位”）",
    "单位预算、决算公开应以“本单位”自称，表名用“单位……表”；部门预算、决算（汇总了所属单位）"
    "应以“本部门”自称。按文件标题判断是单位还是部门文件：单位文件里出现“本部门”、或部门文件里只用"
    "“本单位”而从不用“本部门”时报告。标题看不出是单位还是部门时不适用。",
    "例：标题为“2025年区级单位预算”，情况说明写“本部门2025年收入预算……”。",
    applies_to=ParsedDocument,
    suggestion="统一称谓：单位文件用“本单位”，部门文件用“本部门”。",
)
def unit_called_department(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if ctx.source is None:
        yield NotApplicable(NO_SOURCE)
        return
    scope = _disclosure_scope(document)
    if scope is None:
        yield NotApplicable("标题未表明是单位还是部门文件")
        return
    if scope == "单位":
        for item in _self_references(ctx, "本部门"):
            yield Problem(
                f"单位公开文件中自称“本部门”：{_excerpt(item.text, item.text.find('本部门'), item.text.find('本部门') + 3)}",
                locations=(item.loc,),
                expected="本单位",
                actual="本部门",
            )
        for form in document.forms:
            if isinstance(form, Disclosure):
                for table in form.tables:
                    if table.title.startswith(("部门", "20")) and re.search(
                        r"^(?:\d{4}年)?部门", table.title
                    ):
                        yield Problem(
                            f"单位公开文件中的表名为《{table.title}》",
                            locations=(table.loc,),
                            expected="单位……表",
                            actual=table.title,
                        )
    else:
        units = _self_references(ctx, "本单位")
        if units and not _self_references(ctx, "本部门"):
            yield Problem(
                f"部门公开文件中只自称“本单位”（{len(units)} 处），从未用“本部门”",
                locations=tuple(item.loc for item in units[:5]),
                expected="本部门",
                actual="本单位",
            )


_PLACEHOLDER = re.compile(
    r"(?:[XxＸｘ×＊*]{2,}|某某)(?=[\u4e00-\u9fff局委办院所处科室单位部门区县市省年月日号万元])"
    r"|(?<=[\u4e00-\u9fff年])(?:[XxＸｘ×]{2,}|某某)|20[XxＸｘ]{2}年|（此处[^）]{0,12}）|【[^】]{0,10}填写[^】]{0,10}】"
)

#: Substrings every placeholder contains (``in`` on the joined text is faster than any regex here).
_PLACEHOLDER_WORDS = ("XX", "xx", "Xx", "xX", "ＸＸ", "ｘｘ", "××", "＊＊", "**", "某某", "此处", "填写")


class _Words:
    """A gate for ``_matches`` made of plain substrings."""

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words

    def search(self, text: str) -> bool | None:
        return True if any(word in text for word in self.words) else None


_PLACEHOLDER_GATE = _Words(_PLACEHOLDER_WORDS)


@rule(
    "P107",
    Severity.ERROR,
    "模板占位文字未替换",
    "公开文件里留有模板的占位文字，如“XX局”“×××万元”“20XX年”“某某单位”“（此处填写……）”，"
    "说明套用模板后漏改了。只在汉字或数字单位旁的连续 X/×/＊ 或“某某”才算，英文缩写不算。",
    "例：“第二部分 上海市普陀区XX局 2024 年度部门决算表”。整套表格都没有金额的空白模板不检查。",
    applies_to=ParsedDocument,
    suggestion="把占位文字改为实际的部门名称、年度或金额。",
)
def template_placeholder(document: ParsedDocument, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if ctx.source is None:
        yield NotApplicable(NO_SOURCE)
        return
    if any(isinstance(form, Disclosure) and is_blank_template(form) for form in document.forms):
        yield NotApplicable("整套表格均无金额，是空白模板，占位文字正是待填之处")
        return
    yield from _pattern_problems(ctx, _PLACEHOLDER, _PLACEHOLDER_GATE, "留有模板占位文字“{}”")


# ------------------------------------------------------------------------------- plausibility

_PER_HEAD = re.compile(r"^(万?元)/(?:(年|月)/)?(人次|人|户|名)(?:/(年|月))?$")
_COUNT_UNITS = ("人次", "人", "户", "名")
_COUNT_NAME = re.compile(r"(人数|人次|户数|名额|对象数)")


@dataclass(frozen=True, slots=True)
class _Cost:
    indicator: Indicator
    values: tuple[Decimal, ...]  # 元 per head per period
    per: str  # 人 / 人次 / 户
    months: int  # 12 for a monthly standard, 1 otherwise


def _per_head(target: Target) -> tuple[list[Decimal], str, int] | None:
    values: list[Decimal] = []
    per: str | None = None
    months = 1
    for part in target.parts or (target,):
        match = _PER_HEAD.match(part.unit or "")
        if match is None or part.value is None:
            continue
        factor = Decimal(10000) if match.group(1) == "万元" else Decimal(1)
        values.append(part.value * factor)
        per = "人" if match.group(3) == "名" else match.group(3)
        if "月" in (match.group(2), match.group(4)):
            months = 12
    return (values, per, months) if values and per else None


def _count(indicator: Indicator) -> tuple[Decimal, str] | None:
    target = indicator.target
    for part in target.parts or (target,):
        if part.value is None or part.op in ("≤", "<"):
            continue
        unit = part.unit or indicator.unit
        if unit in _COUNT_UNITS:
            return part.value, "人" if unit == "名" else unit
        if unit is None and _COUNT_NAME.search(indicator.name):
            word = _COUNT_NAME.search(indicator.name)
            return part.value, "人次" if word and word.group(1) == "人次" else "人"
    return None


def _shared(a: str, b: str) -> int:
    return len({c for c in a if "\u4e00" <= c <= "\u9fff"} & {c for c in b if "\u4e00" <= c <= "\u9fff"})


@rule(
    "P201",
    Severity.WARNING,
    "预算资金不足以支付指标承诺的数量",
    "项目目标表中同时有人均（户均）标准（如“2004元/人/月”）和受益人数（如“≥700人”）时，"
    "按 人数 × 标准（按月的乘 12）测算所需资金；测算的最低数超过预算资金的 1.5 倍时报告。"
    "同一项目有多个人数指标时，取与标准指标名称最相近的一个；对应不上时不适用。",
    "例：公益性岗位补贴 700 人 × 1002 元/人/月 × 12 = 841.68 万元，而预算资金只有 40 万元。",
    applies_to=ProjectTargetDeclaration,
    suggestion="核对预算资金、受益人数和补助标准（及其计量单位）是否填写正确。",
)
def budget_below_unit_cost(form: ProjectTargetDeclaration, ctx: Context) -> Iterator[Problem | NotApplicable]:
    if form.budget is None or form.budget <= 0:
        yield NotApplicable("没有预算资金")
        return
    if form.budget_unit == "元" and form.budget < 1000:
        yield NotApplicable("预算资金的金额单位存疑（见 F003），不作测算")
        return
    budget_yuan = form.budget * (Decimal(10000) if form.budget_unit == "万元" else Decimal(1))
    counts = [(ind, c) for ind in form.indicators if (c := _count(ind)) is not None]
    found = False
    for indicator in form.indicators:
        cost = _per_head(indicator.target)
        if cost is None:
            continue
        values, per, months = cost
        candidates = [(ind, c) for ind, c in counts if c[1] == per and ind is not indicator]
        if len(candidates) > 1:
            candidates.sort(key=lambda pair: -_shared(pair[0].name, indicator.name))
            if _shared(candidates[0][0].name, indicator.name) < 2:
                continue
        if not candidates:
            continue
        found = True
        people_indicator, (people, _) = candidates[0]
        needed = min(values) * people * months
        if needed > budget_yuan * Decimal("1.5"):
            needed_wan = (needed / 10000).normalize()
            months_text = f" × {months} 个月" if months > 1 else ""
            yield Problem(
                f"项目“{form.project_name or ''}”：{people_indicator.name} {amount_text(people)}{per} × "
                f"{indicator.name} {amount_text(min(values))} 元/{per}{'/月' if months > 1 else ''}{months_text} = {format(needed_wan, 'f')} 万元，"
                f"超过预算资金 {amount_text(form.budget, form.budget_unit)}",
                locations=(
                    people_indicator.cells.get("target") or people_indicator.loc,
                    indicator.cells.get("target") or indicator.loc,
                    form.cells.get("budget") or form.loc,
                ),
                expected=f"≥ {format(needed_wan, 'f')} 万元",
                actual=amount_text(form.budget, form.budget_unit),
            )
    if not found:
        yield NotApplicable("没有可对应的人数和人均标准指标")


def _grand_total(table: DisclosureTable) -> tuple[Decimal, Loc | None] | None:
    total = table.total()
    if total is None:
        return None
    for column, value in total.values.items():
        if value is not None and value != 0:
            return value, total.cells.get(column) or total.loc
    return None


@rule(
    "P202",
    Severity.ERROR,
    "金额单位标错：同一总数在一张表标“元”、另一张表标“万元”",
    "同一份公开文件的两张表，合计数一字不差，金额单位却一张是“元”、一张是“万元”，两者相差一万倍，"
    "必有一张表的单位标错了（表间比对在换算单位后才会进行，因此单位标错时其他规则看不出来）。"
    "单位是推定的表不参与比较。",
    "例：《部门收支总表》单位为万元，收入总计 22118861.34；《部门支出总表》单位为元，合计 22118861.34。",
    applies_to=Disclosure,
    suggestion="核对各表表头的金额单位。",
)
def unit_mislabelled(form: Disclosure, ctx: Context) -> Iterator[Problem | NotApplicable]:
    totals = [
        (table, found)
        for table in form.tables
        if table.unit in ("元", "万元")
        and not table.unit_assumed
        and (found := _grand_total(table)) is not None
    ]
    if len({table.unit for table, _ in totals}) < 2:
        yield NotApplicable("各表金额单位相同（或未注明），无需比对")
        return
    reported: set[str] = set()
    for index, (table, (value, loc)) in enumerate(totals):
        for other, (other_value, other_loc) in totals[index + 1 :]:
            if (
                other.unit != table.unit
                and other_value == value
                and abs(value) >= 1
                and other.title not in reported
            ):
                reported.add(other.title)
                yield Problem(
                    f"《{table.title}》（单位：{table.unit}）与《{other.title}》（单位：{other.unit}）的合计数同为 "
                    f"{amount_text(value)}，单位却不同，必有一张表的单位标错",
                    locations=(loc, other_loc),
                    expected="两表单位一致",
                    actual=f"{table.unit} / {other.unit}",
                )
