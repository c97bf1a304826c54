"""A consistent document gives no error and no warning under the whole built-in registry.

Three documents written out as text exports in the layouts of the seeds, every figure agreeing:
a 部门预算公开 (tables and their identities), a 部门整体 self-evaluation (report, 表3-1, 表3-2,
附件1) and a 项目支出绩效目标表. Each passes every rule; one planted error in each is found.
"""

from __future__ import annotations

from jixiao.checks.engine import audit_documents
from jixiao.checks.report import DocumentAudit
from jixiao.ingest.load import load_bytes
from jixiao.model.findings import Severity
from tests.checks.test_arithmetic import DISCLOSURE_TEXT
from tests.checks.test_scoring import INLINE_002

#: 002's layout with the tasks named instead of numbered, 可持续影响 under 效益 as 002 prints it, and
#: the satisfaction row scored as every ruleset scores a met target.
EVALUATION_TEXT = (
    INLINE_002.replace("重点工作 1 计划完成率", "就业培训计划完成率")
    .replace("重点工作 2 计划完成率", "劳动监察计划完成率")
    .replace("重点工作1计划完成率", "就业培训计划完成率")
    .replace("重点工作2计划完成率", "劳动监察计划完成率")
    .replace("\t质量指标\t", "\t社会效益指标\t")
    # 96% against ≥90% earns full marks under every ruleset: 20, not 18, and the totals follow
    .replace("\t96%\t20\t18", "\t96%\t20\t20")
    .replace("得 18 分", "得 20 分")
    .replace("得分率\t100%\t100%\t100%\t85.7%\t95%", "得分率\t100%\t100%\t100%\t91.4%\t97%")
    .replace("得分\t10\t30\t25\t30\t95", "得分\t10\t30\t25\t32\t97")
    .replace("整体自评得分为 95 分", "整体自评得分为 97 分")
    .replace("效益指标得分 30 分", "效益指标得分 32 分")
)

PROJECT_TEXT = """某区人力资源和社会保障局项目支出绩效目标申报表

(2023年度)

项目基本情况\t项目名称\t公益性岗位补贴\t\t\t\t
\t项目负责人\t张明\t\t联系电话\t5328068\t
\t项目类别\t其它\t\t\t\t
\t项目属性\t延续项目\t\t\t\t
项目计划实施时间\t2023年1月1日至2023年12月31日\t\t\t\t\t
项目资金情况\t预算资金(万元)\t120\t资金性质\t一般公共预算安排\t\t
\t年度目标\t为 100 名就业困难人员提供公益性岗位并按月发放岗位补贴。\t\t\t\t
绩效目标情况\t本年度实施计划\t计划1\t2023年1月至2023年12月按月发放公益性岗位补贴\t\t\t
\t指标\t一级指标\t二级指标\t三级指标\t指标值\t指标解释及计算公式
\t\t产出指标\t数量指标\t享受岗位补贴人数\t≥100人\t全年享受公益性岗位补贴的就业困难人员人数
\t\t\t质量指标\t补贴发放准确率\t100%\t实际发放补贴人数/应发放补贴人数×100%
\t\t\t时效指标\t补贴发放时间\t每月15日前\t每月按时发放上月补贴
\t\t\t成本指标\t岗位补贴标准\t≤1000元/人/月\t按省定标准发放
\t\t效益指标\t社会效益指标\t就业困难人员就业率\t≥95%\t实现就业的援助对象人数/援助对象总人数×100%
\t\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t抽样调查满意人数/调查人数×100%
"""


def audit(text: str, name: str) -> DocumentAudit:
    document, source = load_bytes(text.encode("utf-8"), name)
    return audit_documents([document], [source]).documents[0]


def serious(document: DocumentAudit) -> list[str]:
    return [f.label() for f in document.findings if f.severity is not Severity.INFO]


def test_a_consistent_disclosure_passes_every_rule() -> None:
    document = audit(DISCLOSURE_TEXT, "预算公开.txt")
    assert document.kind == "budget_disclosure"
    assert serious(document) == []
    assert sum(o.status == "passed" for o in document.rules) >= 10


def test_a_consistent_self_evaluation_passes_every_rule() -> None:
    document = audit(EVALUATION_TEXT, "自评报告.txt")
    assert document.kind == "self_evaluation"
    assert serious(document) == []
    assert sum(o.status == "passed" for o in document.rules) >= 20


def test_a_consistent_project_form_passes_every_rule() -> None:
    document = audit(PROJECT_TEXT, "项目目标表.txt")
    assert document.kind == "project_target"
    assert serious(document) == []
    assert sum(o.status == "passed" for o in document.rules) >= 15


def test_one_planted_error_in_each_is_found() -> None:
    disclosure = audit(DISCLOSURE_TEXT.replace("本年支出合计\t105.00", "本年支出合计\t106.00"), "a.txt")
    evaluation = audit(
        EVALUATION_TEXT.replace("得分\t10\t30\t25\t32\t97", "得分\t10\t30\t25\t33\t97"), "b.txt"
    )
    project = audit(PROJECT_TEXT.replace("服务对象满意度\t≥90%", "服务对象满意度\t≥100%"), "c.txt")
    assert {f.code for f in disclosure.findings if f.severity is Severity.ERROR} == {"A101", "A106"}
    assert "S105" in {f.code for f in evaluation.findings}
    assert [f.code for f in project.findings if f.severity is not Severity.INFO] == ["T106"]
