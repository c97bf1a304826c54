"""Scoring rulesets as data: one TOML file per official rule (national, provincial, district).

Enters: a ruleset name (a file under ``jixiao/scoring/rulesets/``) or a path to a user's own file.
Leaves: a validated ``RuleSet``, or a ``RulesetError`` whose Chinese message names the file and the
key that is wrong. Adding a province needs a new file, never code.

>>> load_ruleset("national-project").levels[0].weight
Decimal('50')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

RULESET_SUFFIX = ".toml"


class RulesetError(ValueError):
    """A ruleset that cannot be used; ``message`` is Chinese and names the file and key."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    """A 一级指标 and its points: 产出指标 50."""

    name: str
    weight: Decimal = Field(ge=0)
    aliases: tuple[str, ...] = ()  # other names forms print for it: 投入管理, 成本指标…


class BudgetExecution(_Strict):
    """The 预算执行率 line: weight × min(执行数 / 全年预算数, 1)."""

    weight: Decimal = Field(ge=0)
    label: str = "预算执行率"


class Tier(_Strict):
    """A qualitative tier: 达成 100%–80% of the weight; ``default`` is the share given when nobody chose."""

    name: str
    low: Decimal = Field(ge=0, le=100)  # percent of the weight
    high: Decimal = Field(ge=0, le=100)
    default: Decimal = Field(ge=0, le=100)
    words: tuple[str, ...] = ()  # wording of an actual that puts it in this tier

    @model_validator(mode="after")
    def _ordered(self) -> Tier:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"档次“{self.name}”应满足 low ≤ default ≤ high")
        return self


class Deduction(_Strict):
    """Indicators scored by deduction: ``per_point`` percent of the weight per percentage point of
    deviation beyond the target, down to zero (预算调整率: 每浮动1%，扣5%权重分值，扣完为止)."""

    indicators: tuple[str, ...] = Field(min_length=1)
    per_point: Decimal = Field(gt=0, le=100)


class Band(_Strict):
    grade: str
    min: Decimal = Field(ge=0)  # a total at or above ``min`` (and below the next band) gets ``grade``


class RuleSet(_Strict):
    name: str
    title: str
    scope: Literal["dept", "project"]
    source: str = ""  # where the rule is written: 财预〔2020〕10号, a form's footnote…
    detect: tuple[str, ...] = ()  # phrases of a form's scoring notes that select this ruleset
    total: Decimal = Decimal(100)
    budget_execution: BudgetExecution | None = None
    levels: tuple[Level, ...] = Field(min_length=1)
    tiers: tuple[Tier, ...] = Field(min_length=1)
    deductions: tuple[Deduction, ...] = ()
    grades: tuple[Band, ...] = Field(min_length=1)
    places: int = Field(default=2, ge=0, le=4)  # row scores are rounded half up to this many decimals
    tolerance: Decimal = Decimal("0.01")  # a reported score this close to the computed one agrees

    @model_validator(mode="after")
    def _weights_add_up(self) -> RuleSet:
        weights = sum((level.weight for level in self.levels), Decimal(0))
        if self.budget_execution is not None:
            weights += self.budget_execution.weight
        if weights != self.total:
            raise ValueError(f"各一级指标分值与预算执行分值之和为 {weights}，应等于总分 {self.total}")
        if [band.min for band in self.grades] != sorted((band.min for band in self.grades), reverse=True):
            raise ValueError("grades 应按 min 从高到低排列")
        return self

    def level_for(self, name: str | None) -> Level | None:
        """The ruleset's level a form's 一级指标 name means (产出指标 / 产出 / 一、产出指标)."""
        key = level_key(name)
        if not key:
            return None
        for level in self.levels:
            if key in (level_key(level.name), *(level_key(a) for a in level.aliases)):
                return level
        return None

    def grade(self, total: Decimal) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade


_LEVEL_NOISE = re.compile(r"[\s一二三四五六七八九十、.．()（）]|指标$")


def level_key(name: str | None) -> str:
    """产出指标 / 一、产出 / （产出指标） → 产出."""
    return _LEVEL_NOISE.sub("", name or "").removesuffix("指标")


def _builtin_dir() -> Path:
    return Path(str(resources.files("jixiao.scoring").joinpath("rulesets")))


def ruleset_names() -> list[str]:
    """The rulesets shipped with Jixiao."""
    return list(_shipped_names())


@cache
def _shipped_names() -> tuple[str, ...]:
    """The package's own files do not change while it runs: list them once."""
    return tuple(sorted(p.stem for p in _builtin_dir().glob(f"*{RULESET_SUFFIX}")))


def _key_path(location: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]" if parts else f"[{item}]"]
        else:
            parts.append(item)
    return ".".join(parts) or "（顶层）"


_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的键（拼写错误？）",
    "decimal_parsing": "应为数字",
    "int_parsing": "应为整数",
    "string_type": "应为文字",
    "literal_error": "取值不在允许范围内",
    "too_short": "至少需要一项",
    "greater_than_equal": "不能小于下限",
    "less_than_equal": "不能大于上限",
    "greater_than": "应大于下限",
}


def parse_ruleset(text: str, source: str) -> RuleSet:
    """A ruleset from TOML text; ``source`` names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"评分规则文件 {source} 不是有效的 TOML：{exc}") from exc
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()[:5]]
        more = f"（另有 {exc.error_count() - 5} 处）" if exc.error_count() > 5 else ""
        raise RulesetError(f"评分规则文件 {source}：" + "；".join(problems) + more) from exc


def _problem(error: Mapping[str, Any]) -> str:
    """One validation error as ``levels[1].weight：应为数字``."""
    key = _key_path(tuple(error["loc"]))
    detail = _MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "value_error":
        detail = str(error.get("ctx", {}).get("error", error["msg"]))
    return f"{key}：{detail}" if error["loc"] else detail


@cache
def _builtin(name: str) -> RuleSet:
    path = _builtin_dir() / f"{name}{RULESET_SUFFIX}"
    return parse_ruleset(path.read_text(encoding="utf-8"), path.name)


def load_ruleset(name_or_path: str | Path) -> RuleSet:
    """A shipped ruleset by name (``henan-dept``) or a user's file by path."""
    text = str(name_or_path)
    if text in ruleset_names():
        return _builtin(text)
    path = Path(name_or_path)
    if path.suffix != RULESET_SUFFIX or not path.exists():
        names = "、".join(ruleset_names())
        raise RulesetError(f"找不到评分规则“{text}”：可用的有 {names}，或给出一个 .toml 文件的路径")
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesetError(f"评分规则文件 {path.name} 无法读取：{exc}") from exc
    return parse_ruleset(content, path.name)


def builtin_rulesets() -> list[RuleSet]:
    return list(_all_builtin())


@cache
def _all_builtin() -> tuple[RuleSet, ...]:
    return tuple(_builtin(name) for name in _shipped_names())
