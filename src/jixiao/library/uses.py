"""Uses: one indicator as one form used it, with the project it belongs to.

Enters: a ``ParsedDocument`` (any form kind: 部门整体 and 项目 declarations, 项目绩效目标汇总表,
self-evaluations, the target tables inside a 部门预算公开). Leaves: ``Use`` records, one per
indicator and project, the same indicator printed twice for one project counted once.

>>> from jixiao.model.values import parse_target
>>> Use(name="（1）服务对象满意率", level1="满意度指标", level2=None, target=parse_target("≥95%")).key
'服务对象满意度'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jixiao.library.normalise import normalise
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import ParsedDocument
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.indicators import Indicator
from jixiao.model.target import Target

__all__ = ["Use", "uses_of"]


@dataclass(frozen=True)
class Use:
    """One indicator in one form. ``project`` is None for a 部门整体 form; ``curated_key`` files the
    use under another key than its normalised name (an entry merged by an administrator); ``ref`` is
    the caller's handle (a database id), never read by the library."""

    name: str
    level1: str | None
    level2: str | None
    target: Target
    project: str | None = None
    function_code: str | None = None
    source: str = ""
    form: str = ""
    direction: str | None = None  # 指标方向 as printed (正向/反向) where the form has the column
    curated_key: str | None = None
    ref: Any = None

    @property
    def key(self) -> str:
        return self.curated_key or normalise(self.name)


def _indicator_use(indicator: Indicator, project: str | None, source: str, form: str) -> Use:
    return Use(
        name=indicator.name.strip(),
        level1=(indicator.level1 or "").strip() or None,
        level2=(indicator.level2 or "").strip() or None,
        target=indicator.target,
        project=(project or "").strip() or None,
        source=source,
        form=form,
        direction=(indicator.direction or "").strip() or None,
    )


def _form_uses(form: Any, source: str) -> Iterator[Use]:
    if isinstance(form, DeptTargetDeclaration):
        for indicator in form.indicators:
            yield _indicator_use(indicator, None, source, form.form)
    elif isinstance(form, ProjectTargetDeclaration):
        project = form.project_name or form.title
        for indicator in form.indicators:
            yield _indicator_use(indicator, project, source, form.form)
    elif isinstance(form, ProjectTargetSummary):
        for row in form.rows:
            if row.is_unit:
                continue
            for indicator in row.indicators:
                yield _indicator_use(indicator, row.name, source, form.form)
    elif isinstance(form, SelfEvaluation):
        project = form.project_name if form.scope == "project" else None
        for indicator in form.indicators:
            yield _indicator_use(indicator, project, source, form.form)
    elif isinstance(form, Disclosure):
        for inner in (*form.dept_targets, *form.project_targets, *form.project_summaries):
            yield from _form_uses(inner, source)


def uses_of(document: ParsedDocument, source: str = "") -> list[Use]:
    """Every indicator of ``document``, once per project (a summary table that lists a project
    twice, as seed 003 does, or a row printed twice counts once); names that normalise to nothing
    are left out."""
    seen: set[tuple[str | None, str]] = set()
    out: list[Use] = []
    for form in document.forms:
        for use in _form_uses(form, source or document.file):
            identity = (use.project, use.key)
            if not use.key or identity in seen:
                continue
            seen.add(identity)
            out.append(use)
    return out
