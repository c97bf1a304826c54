"""Monitoring and self-evaluation input problems as data: stable ``M`` codes with Chinese messages.

>>> Issue("M101", "“120人”无法读取为数值", 3).text
'第 4 行：进度无法读取为数值：“120人”无法读取为数值'
"""

from __future__ import annotations

from dataclasses import dataclass

MONITOR_CODES: dict[str, str] = {
    "M101": "进度无法读取为数值",
    "M102": "进度的单位与指标值的单位不一致",
    "M103": "预算执行数无法读取为金额",
    "M104": "预算执行数不能为负数",
    "M105": "黄灯、红灯须填写偏差原因",
    "M106": "尚未填写进度",
    "M107": "指标未完成，须填写偏差原因",
    "M108": "监控期间只能是 1–6月 或 1–9月",
    "M109": "目标表没有预算金额，无法计算预算执行率",
    "M110": "尚未填写预算执行数",
    "M111": "导入的文件中没有绩效自评表",
    "M112": "分值无法读取为数值",
    "M113": "分值不能为负数",
    "M114": "一级指标下各三级指标的分值合计与评分规则不一致",
    "M115": "数值超出可填写的范围（整数最多 14 位，小数最多 6 位）",
}


@dataclass(frozen=True)
class Issue:
    """One problem with what a user entered; ``row`` is the indicator's index (None: the budget or
    the whole form); ``level``: the ruleset's 一级指标 it concerns (M114)."""

    code: str
    detail: str = ""
    row: int | None = None
    level: str | None = None

    @property
    def title(self) -> str:
        return MONITOR_CODES[self.code]

    @property
    def text(self) -> str:
        where = f"第 {self.row + 1} 行：" if self.row is not None else ""
        return where + self.title + (f"：{self.detail}" if self.detail else "")


class MonitorError(ValueError):
    """An input that cannot be used at all (a period other than H1/Q3)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.issue = Issue(code, detail)
        super().__init__(self.issue.text)
