"""The rule registry: every audit rule declared once, with its code, severity and Chinese docs.

A rule is a function ``(form, ctx) -> Iterable[Problem | NotApplicable]`` wrapped by ``@rule``;
the engine turns each ``Problem`` into a ``Finding`` carrying the rule's code and severity, so a
code always has the severity it is documented with. Registries are immutable: ``with_rules`` and
``select`` return new ones (user rules go through the same door as the built-in ones).

>>> @rule("Z901", Severity.INFO, "示例", "解释", "例子", applies_to=ParsedDocument)
... def sample(document, ctx):
...     yield Problem("示例问题")
>>> Registry([sample]).codes()
('Z901',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from jixiao.model.document import ParsedDocument
from jixiao.model.findings import Severity
from jixiao.model.loc import Loc

#: Families and what they cover (docs/rules.md is grouped by these).
FAMILIES: dict[str, str] = {
    "A": "算术：合计与明细、表间同一数字、说明中的百分比与增减",
    "T": "目标质量：指标值可衡量、方向、单位、占位与重复",
    "S": "评分：自评得分与分值、等级与总分、偏差原因",
    "C": "一致性：表格、说明与附件之间，编码与名称，年度，目录",
    "F": "表单完整性：必填内容、编码格式、列错位",
    "P": "发布质量与合理性：乱码、残句、单位自称、数量×单价与预算",
    "X": "内部错误：审核规则自身出错",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found: the engine adds the rule's code and severity."""

    message: str
    locations: Sequence[Loc | None] = ()
    expected: str | None = None
    actual: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """A rule that cannot apply here says why (e.g. 收入不全是财政拨款), instead of a false alarm."""

    reason: str


RuleResult = Iterable[Problem | NotApplicable]
RuleFunction = Callable[[Any, Any], RuleResult]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # Chinese, one line
    explanation: str  # Chinese: what is checked and why, and when the rule does not apply
    example: str  # Chinese: a defect it finds
    applies_to: tuple[type, ...]  # form classes; ParsedDocument for document-wide rules
    check: RuleFunction = field(compare=False)
    suggestion: str | None = None  # default advice for its findings
    across_documents: bool = False  # compares with the other documents of the run (ctx.others())

    @property
    def family(self) -> str:
        return self.code[0]

    @property
    def document_wide(self) -> bool:
        return ParsedDocument in self.applies_to

    def __call__(self, target: Any, ctx: Any) -> RuleResult:
        return self.check(target, ctx)


def rule(
    code: str,
    severity: Severity,
    title: str,
    explanation: str,
    example: str,
    *,
    applies_to: type | tuple[type, ...],
    suggestion: str | None = None,
    across_documents: bool = False,
) -> Callable[[RuleFunction], Rule]:
    """Declare a rule. The decorated name becomes the ``Rule``; collect it with ``rules_in``."""
    if len(code) != 4 or not ("A" <= code[0] <= "Z") or not code[1:].isdigit():
        raise ValueError(f"rule code must be a capital family letter and three digits, got {code!r}")
    targets = applies_to if isinstance(applies_to, tuple) else (applies_to,)

    def wrap(function: RuleFunction) -> Rule:
        return Rule(
            code, severity, title, explanation, example, targets, function, suggestion, across_documents
        )

    return wrap


def rules_in(module: object) -> list[Rule]:
    """The rules a module defines, in code order."""
    found = [value for value in vars(module).values() if isinstance(value, Rule)]
    return sorted(found, key=lambda r: r.code)


def matches(code: str, patterns: Iterable[str]) -> bool:
    """``A101`` matches ``A``, ``A1``, ``A101`` (case-insensitive prefixes)."""
    code = code.upper()
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())


class Registry:
    """An immutable, ordered set of rules keyed by code."""

    __slots__ = ("_rules",)

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        by_code: dict[str, Rule] = {}
        for r in rules:
            if r.code in by_code:
                raise ValueError(f"rule code {r.code} registered twice ({by_code[r.code].title} / {r.title})")
            by_code[r.code] = r
        self._rules = dict(sorted(by_code.items()))

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def __getitem__(self, code: str) -> Rule:
        return self._rules[code]

    def codes(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def with_rules(self, *rules: Rule) -> Registry:
        """A new registry with more rules (a code already present is an error)."""
        return Registry([*self, *rules])

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Registry:
        """Only the rules whose code matches ``select`` (all if empty) and not ``ignore``."""
        chosen, skipped = list(select), list(ignore)
        return Registry(
            r for r in self if (not chosen or matches(r.code, chosen)) and not matches(r.code, skipped)
        )
