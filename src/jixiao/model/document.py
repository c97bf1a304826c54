"""A parsed file: what it is, the forms found in it, and what went wrong reading it.

This is what ``jixiao parse`` prints (JSON schema in docs/schema.md).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.evaluation import SelfEvaluation
from jixiao.model.findings import Finding, Severity

Form = Annotated[
    DeptTargetDeclaration | ProjectTargetDeclaration | ProjectTargetSummary | SelfEvaluation | Disclosure,
    Field(discriminator="form"),
]

DocumentKind = Literal[
    "dept_target",  # 部门整体绩效目标申报表 (possibly with project forms attached)
    "project_target",  # 项目支出绩效目标申报表 only
    "budget_disclosure",  # 部门预算公开
    "final_disclosure",  # 部门决算公开
    "self_evaluation",  # 绩效自评表 / 自评报告
    "unknown",
]


class ParsedDocument(BaseModel):
    file: str
    sha256: str | None = None
    size: int | None = None
    format: str | None = None  # txt, md, xlsx, xls, docx, pdf, html
    kind: DocumentKind = "unknown"
    forms: list[Form] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(f.code.startswith("R") and f.severity is Severity.ERROR for f in self.findings)
