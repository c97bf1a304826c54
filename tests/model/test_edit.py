"""Editing target declarations as rows (jixiao.model.edit), on the real forms of seeds 000, 003, 004:
rows ↔ declaration, render → read back, totals, structural edits, findings back on their rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.checks.engine import audit_documents, forms_of
from jixiao.ingest.load import load_bytes
from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, Task
from jixiao.model.edit import (
    BUDGET_TOTAL,
    Declaration,
    Rows,
    apply_op,
    as_edited,
    budget_totals,
    draft_document,
    essence,
    from_rows,
    insert_indicator,
    level2_choices,
    place_of,
    prune,
    roll_forward,
    skeleton,
    task_totals,
    to_rows,
    without_provenance,
)
from jixiao.render.pipeline import form_doc, write
from tests.conftest import SEED_000, SEED_003, SEED_004, load_document


def seed_forms() -> list[tuple[str, Declaration]]:
    """Every 部门整体 and 项目支出 target form of the seeds (003's are annexes of its disclosure)."""
    found: list[tuple[str, Declaration]] = []
    for path in (SEED_000, SEED_003, SEED_004):
        document, _ = load_document(path)
        for index, form in enumerate(forms_of(document)):
            if isinstance(form, DeptTargetDeclaration | ProjectTargetDeclaration):
                found.append((f"{path.name[:3]}-{index}", form))
    return found


FORMS = seed_forms()


def test_the_seeds_give_target_forms_of_both_kinds() -> None:
    kinds = [form.form for _, form in FORMS]
    assert kinds.count("dept_target") == 3 and kinds.count("project_target") == 4


@pytest.mark.parametrize(("name", "form"), FORMS, ids=[name for name, _ in FORMS])
def test_rows_give_back_the_same_form(name: str, form: Declaration) -> None:
    clean = without_provenance(form)
    edited = from_rows(clean.form, to_rows(clean), department=clean.department, year=clean.year)
    assert edited.problems == ()
    assert essence(edited.declaration) == essence(clean)


@pytest.mark.parametrize("to", ["xlsx", "docx"])
@pytest.mark.parametrize(("name", "form"), FORMS, ids=[name for name, _ in FORMS])
def test_render_then_read_gives_back_the_draft(name: str, form: Declaration, to: str) -> None:
    draft = prune(as_edited(form))
    data = write(form_doc(draft, to), to)  # type: ignore[arg-type]
    document, _ = load_bytes(data, f"draft.{to}")
    read = [f for f in document.forms if f.form == draft.form]
    assert len(read) == 1
    assert essence(read[0]) == essence(draft)  # type: ignore[arg-type]
    assert essence(as_edited(read[0])) == essence(draft)  # type: ignore[arg-type]  # the 合计 row is not a task


def test_printed_budget_total_becomes_the_computed_one() -> None:
    dept = next(form for name, form in FORMS if name == "004-0")
    assert [(b.label, b.amount) for b in dept.budget][-1] == ("资金总额", Decimal("3896.05"))
    edited = as_edited(dept)
    assert isinstance(edited, DeptTargetDeclaration)
    assert [(b.label, b.amount) for b in edited.budget] == [
        (BUDGET_TOTAL, Decimal("3896.05")),
        ("基本支出", Decimal("823.26")),
        ("项目支出", Decimal("3072.79")),
    ]


def test_task_totals_of_seed_000_are_exact() -> None:
    dept = next(form for name, form in FORMS if name == "000-0")
    assert isinstance(dept, DeptTargetDeclaration)
    assert task_totals(dept.tasks) == (Decimal("2924"), Decimal("2924"))


@settings(deadline=None)  # no timing in tests: the machine is shared
@given(
    st.lists(st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False), min_size=1, max_size=30)
)
def test_task_total_is_the_exact_sum(amounts: list[Decimal]) -> None:
    tasks = [Task(name=f"任务{i}", total=a, fiscal=a) for i, a in enumerate(amounts)]
    total, fiscal = task_totals(tasks)
    assert total == fiscal == sum(amounts, Decimal(0))


def test_budget_total_by_use_else_by_source() -> None:
    rows = to_rows(skeleton("dept_target", department="示例局", year=2024))
    for row in rows.sections["sources"]:
        row["amount"] = {"财政拨款": "100.5", "单位资金": "20"}.get(row["label"], "")
    edited = from_rows("dept_target", rows)
    assert edited.declaration.budget[0].label == BUDGET_TOTAL
    assert edited.declaration.budget[0].amount == Decimal("120.5")
    rows.sections["uses"][0]["amount"] = "80"
    rows.sections["uses"][1]["amount"] = "40"
    totals = budget_totals(from_rows("dept_target", rows).declaration.budget)
    assert (totals.sources, totals.uses, totals.total, totals.agree) == (
        Decimal("120.5"),
        Decimal("120"),
        Decimal("120"),
        False,
    )


def test_what_cannot_be_read_is_reported_not_guessed() -> None:
    rows = to_rows(skeleton("dept_target", department="示例局", year=2024))
    rows.sections["tasks"][0].update(name="培训", total="五十", fiscal="1,200.5")
    rows.sections["measures"].append({"key": "组织机构", "value": "另一处"})
    edited = from_rows("dept_target", rows)
    assert sorted(p.where for p in edited.problems) == ["measures.2.key", "tasks.0.total"]
    task = edited.declaration.tasks[0]  # type: ignore[union-attr]
    assert (task.total, task.fiscal) == (None, Decimal("1200.5"))


def test_skeleton_has_the_standard_tree_and_empty_rows_are_dropped_on_submit() -> None:
    form = skeleton("project_target", department="示例局", year=2024, project_name="示例项目")
    assert [(i.level1, i.level2) for i in form.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    codes = [f.code for f in audit_documents([draft_document(form)]).documents[0].findings]
    assert codes.count("T101") == 9  # every 指标值 still to be filled
    assert prune(form).indicators == []


def test_structural_edits() -> None:
    rows = to_rows(as_edited(next(form for name, form in FORMS if name == "004-1")))
    names = [r["name"] for r in rows.sections["indicators"]]
    apply_op(rows, "add", "indicators", 2)
    assert rows.sections["indicators"][3]["name"] == ""
    assert rows.sections["indicators"][3]["level2"] == rows.sections["indicators"][2]["level2"] == "数量指标"
    apply_op(rows, "delete", "indicators", 3)
    apply_op(rows, "up", "indicators", 1)
    apply_op(rows, "up", "indicators", 0)  # already first: nothing
    assert [r["name"] for r in rows.sections["indicators"]] == [names[1], names[0], *names[2:]]
    apply_op(rows, "add", "goals", -1)
    assert rows.sections["goals"][-1]["label"] == f"目标{len(rows.sections['goals'])}"
    with pytest.raises(ValueError):
        apply_op(rows, "explode", "indicators", 0)


def test_a_suggestion_goes_under_its_level2_or_fills_an_empty_row() -> None:
    rows = to_rows(as_edited(next(form for name, form in FORMS if name == "004-1")))
    at = insert_indicator(rows, "产出指标", "数量指标", "面试场次", "≥2场")
    assert at == 3 and rows.sections["indicators"][2]["name"] == "组织考试场次"
    blank = to_rows(skeleton("project_target", department="示例局", year=2024))
    at = insert_indicator(blank, "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%")
    assert at == 8 and len(blank.sections["indicators"]) == 9


def test_level2_is_picked_within_level1() -> None:
    rows = to_rows(as_edited(next(form for name, form in FORMS if name == "004-2")))
    assert level2_choices(rows, "满意度指标") == ["服务对象满意度指标", "社会公众或服务对象满意度"]
    assert "数量指标" not in level2_choices(rows, "效益指标")
    assert level2_choices(Rows(), "履职效能") == []


def test_last_years_form_rolls_forward() -> None:
    form = roll_forward(next(form for name, form in FORMS if name == "004-4"), 2024)
    assert isinstance(form, ProjectTargetDeclaration)
    assert form.year == 2024
    assert form.project_name == "2024年干部人事档案数字化平台建设费用"
    assert form.period == "2024-01-01至2025-12-31"  # a two-year project stays two years
    assert form.indicators[0].name == "数字化平台建设时间"
    assert all(i.loc is None for i in form.indicators)
    recruit = roll_forward(next(form for name, form in FORMS if name == "004-1"), 2024)
    assert recruit.title == "六枝特区人力资源和社会保障局项目绩效目标表 (2024年度)"
    assert recruit.period == "2024年1月1日至2024年12月31日"  # type: ignore[union-attr]


def test_findings_of_the_audit_come_back_to_their_rows() -> None:
    rows = to_rows(as_edited(next(form for name, form in FORMS if name == "004-1")))
    satisfaction = next(i for i, r in enumerate(rows.sections["indicators"]) if "满意度" in r["name"])
    rows.sections["indicators"].insert(0, dict.fromkeys(rows.sections["indicators"][0], ""))  # an empty row
    satisfaction += 1
    rows.sections["indicators"][satisfaction]["target"] = "≥100%"
    edited = from_rows("project_target", rows)
    findings = audit_documents([draft_document(edited.declaration)]).documents[0].findings
    t106 = [f for f in findings if f.code == "T106"]
    assert len(t106) == 1
    section, index = place_of(t106[0].locations[0])  # type: ignore[misc]
    assert (section, edited.row_of(section, index)) == ("indicators", satisfaction)
    assert all(i.loc is None for i in edited.declaration.indicators)  # the draft itself is not changed


def test_a_rendered_total_row_is_not_taken_for_a_task() -> None:
    dept = prune(as_edited(next(form for name, form in FORMS if name == "000-0")))
    document, _ = load_bytes(write(form_doc(dept, "xlsx"), "xlsx"), "draft.xlsx")
    read = document.forms[0]
    assert isinstance(read, DeptTargetDeclaration) and read.tasks[-1].name == "合计"
    assert [t.name for t in without_provenance(read).tasks] == [t.name for t in dept.tasks]  # type: ignore[union-attr]
