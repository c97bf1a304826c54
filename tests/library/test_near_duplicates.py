"""Near-duplicates within one real form (the names as the parser read them, duplicates included)."""

from __future__ import annotations

from pathlib import Path

from jixiao.library import name_similarity, near_duplicates
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration
from jixiao.model.evaluation import SelfEvaluation
from tests.conftest import SEED_000, SEED_002, SEED_004, load_document


def _form_names(path: Path, project: str | None = None) -> list[str]:
    document, _ = load_document(path)
    for form in document.forms:
        if project is None and isinstance(form, DeptTargetDeclaration):
            return [i.name for i in form.indicators]
        if (
            project is not None
            and isinstance(form, ProjectTargetDeclaration)
            and form.project_name == project
        ):
            return [i.name for i in form.indicators]
        if project is None and isinstance(form, SelfEvaluation):
            return [i.name for i in form.indicators]
    raise AssertionError(f"no form {project} in {path.name}")


def _pairs(names: list[str]) -> set[tuple[str, str]]:
    return {(names[i], names[j]) for i, j, _ in near_duplicates(names)}


def test_seed_004_department_form() -> None:
    names = _form_names(SEED_004)
    found = near_duplicates(names)
    exact = [(names[i], names[j]) for i, j, closeness in found if closeness == 1.0]
    assert exact == [("补贴发放准确率", "补贴发放准确率")]
    assert ("创业担保贷款完成情况", "创业担保贷款任务完成情况") in _pairs(names)
    # a count and its completion rate measure different things
    assert ("举办各类公共就业招聘服务活动", "举办各类公共就业招聘服务活动完成率") not in _pairs(names)
    assert len(found) == 2


def test_seed_004_project_forms() -> None:
    assert _pairs(_form_names(SEED_004, "公益性岗位补贴")) == {
        ("社会公众或服务对象满意度", "社会公众或服务对象满意度")
    }
    student = _form_names(SEED_004, "2023年技工院校县级配套学生资助资金")
    assert ("继续推进教育公平", "继续推进教育公平") in _pairs(student)
    assert ("教育公平", "继续推进教育公平") in _pairs(student)
    assert _pairs(_form_names(SEED_004, "2023年事业单位面向社会公开招聘")) == set()


def test_numbered_template_rows_are_not_duplicates() -> None:
    # seed 000 (重要改革事项1/2) and seed 002 (重点工作1…5计划完成率): one template row numbered
    assert near_duplicates(_form_names(SEED_000)) == []
    assert near_duplicates(_form_names(SEED_002)) == []


def test_name_similarity_bounds() -> None:
    assert name_similarity("补贴发放准确率", "补贴发放准确率") == 1.0
    assert name_similarity("", "补贴发放准确率") == 0.0
    assert 0.7 < name_similarity("补助资金发放及时率", "补助发放及时率") < 1.0
