"""The form builders on real forms: layout, merges, computed sums and scores, exact amounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.model.declaration import DeptTargetDeclaration, ProjectTargetDeclaration, ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import Form
from jixiao.model.evaluation import SelfEvaluation
from jixiao.render.forms import (
    GRADES,
    dept_target_grid,
    form_doc,
    project_summary_grid,
    project_target_grid,
    self_evaluation_grid,
)
from jixiao.render.layout import Cell, Grid
from jixiao.scoring.engine import score_evaluation
from tests.conftest import SEED_000, SEED_002, SEED_003, SEED_004, load_document


def forms_of(path: Path) -> list[Form]:
    document, _ = load_document(path)
    forms: list[Form] = []
    for form in document.forms:
        if isinstance(form, Disclosure):
            forms.extend([*form.dept_targets, *form.project_targets, *form.project_summaries])
        else:
            forms.append(form)
    return forms


def dept(path: Path) -> DeptTargetDeclaration:
    return next(f for f in forms_of(path) if isinstance(f, DeptTargetDeclaration))


def evaluation() -> SelfEvaluation:
    return next(f for f in forms_of(SEED_002) if isinstance(f, SelfEvaluation))


def at(grid: Grid, text: str) -> Cell:
    return next(c for c in grid.cells if c.text == text)


def row_of(grid: Grid, row: int) -> list[Cell]:
    return sorted((c for c in grid.cells if c.row == row), key=lambda c: c.col)


def all_grids() -> list[Grid]:
    grids: list[Grid] = []
    for path in (SEED_000, SEED_002, SEED_003, SEED_004):
        grids.extend(grid for form in forms_of(path) for grid in form_doc(form).grids())  # type: ignore[arg-type]
    return grids


@pytest.mark.parametrize("grid", all_grids(), ids=lambda g: g.title[:20])
def test_cells_never_overlap_and_every_column_has_a_width(grid: Grid) -> None:
    taken: dict[tuple[int, int], Cell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in taken, f"{cell} overlaps {taken[(r, c)]}"
                taken[(r, c)] = cell
    rows, cols = grid.shape
    assert len(grid.widths) == cols
    assert all(width >= 4 for width in grid.widths)
    # every position of the printed rectangle belongs to a cell: no hole in the borders
    assert len(taken) == rows * cols


def test_dept_target_tasks_total_is_computed_from_the_tasks() -> None:
    form = dept(SEED_000)
    grid = dept_target_grid(form)
    total_label = next(c for c in grid.cells if c.role == "total")
    amounts = [c for c in row_of(grid, total_label.row) if c.role == "money"]
    assert [c.value for c in amounts] == [Decimal(2924), Decimal(2924)]
    assert [c.text for c in amounts] == ["2,924", "2,924"]
    # change one task: the 合计 follows (it is never copied from anywhere)
    tasks = [form.tasks[0].model_copy(update={"total": Decimal("50.125")}), *form.tasks[1:]]
    changed = dept_target_grid(form.model_copy(update={"tasks": tasks}))
    label = next(c for c in changed.cells if c.role == "total")
    first = next(c for c in row_of(changed, label.row) if c.role == "money")
    assert first.value == Decimal("2924.125")
    assert first.text == "2,924.125"  # more decimals than two are shown, never rounded away


def test_dept_target_tree_merges_levels_and_prints_targets_as_written() -> None:
    form = dept(SEED_000)
    grid = dept_target_grid(form)
    header = at(grid, "三级指标")
    assert [c.text for c in row_of(grid, header.row)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "指标解释",
        "指标说明",
    ]
    level1 = row_of(grid, header.row + 1)[0]
    assert (level1.text, level1.rowspan) == ("履职效能", 7)  # 7 rows under 履职效能 in 000
    level2 = row_of(grid, header.row + 1)[1]
    assert (level2.text, level2.rowspan) == ("工作目标管理情况", 3)
    targets = [c.text for c in grid.cells if c.col == 3 and c.row > header.row]
    assert targets == [i.target.raw for i in form.indicators]
    assert grid.above == ("（2020年度）", "单位：万元")
    assert grid.title == "市级部门整体绩效目标申报表"


def test_dept_target_tree_columns_follow_what_the_form_fills() -> None:
    form = dept(SEED_003)  # 指标值说明 only: one explanation column
    grid = dept_target_grid(form)
    header = at(grid, "三级指标")
    assert [c.text for c in row_of(grid, header.row)][4:] == ["指标解释"]
    budget = at(grid, "部门预算总额")
    amount = next(c for c in row_of(grid, budget.row) if c.role == "money")
    assert (amount.value, amount.text) == (Decimal("8562.6"), "8,562.6")
    goal = at(grid, "一")  # 003 goals: 一、title：content
    content = row_of(grid, goal.row)[-1]
    assert content.text.startswith("深化管理体制机制改革：根据省、市机构改革精神")


def test_default_titles_name_year_and_department() -> None:
    form = dept(SEED_000).model_copy(update={"title": None})
    doc = form_doc(form)
    assert doc.title == "2020年度郑州市人力资源和社会保障局部门整体绩效目标申报表"
    assert doc.grids()[0].above == ("单位：万元",)
    assert doc.header == "郑州市人力资源和社会保障局 2020年度"


def test_project_target_grid_carries_every_field_of_the_form() -> None:
    projects = [f for f in forms_of(SEED_004) if isinstance(f, ProjectTargetDeclaration)]
    assert len(projects) == 4
    first = project_target_grid(projects[0])
    amount = next(c for c in first.cells if c.role == "money")
    assert amount.value == Decimal(300)
    assert row_of(first, amount.row)[1].text == "年度资金总额（元）"  # the unit as the form printed it
    texts = {c.text for c in first.cells}
    assert {"项目名称", "主管部门", "项目负责人", "联系电话", "项目类别", "项目属性", "资金性质"} <= texts
    assert {"张明扬", "5328068", "延续项目", "一般公共预算安排"} <= texts
    third = project_target_grid(projects[2])
    header = at(third, "三级指标")
    assert [c.text for c in row_of(third, header.row)][4:] == ["指标解释", "上年度指标值或实际水平"]
    assert {"计划1", "组织机构", "目标1", "目标3"} <= {c.text for c in third.cells}
    assert first.landscape is False and third.landscape is False


def test_self_evaluation_grid_shows_computed_scores_with_a_sheet() -> None:
    form = evaluation()
    sheet = score_evaluation(form)
    grid = self_evaluation_grid(form, sheet)
    header = row_of(grid, at(grid, "三级指标").row)
    assert [c.text for c in header] == [
        "一级指标",
        "分值",
        "二级指标",
        "三级指标",
        "指标值",
        "指标说明",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    row = at(grid, "绩效指标合理性").row
    score = next(c for c in row_of(grid, row) if c.col == 8)
    assert score.value == Decimal("1.60")  # 一般合理 against 合理: the rule gives 1.6, the form said 2
    total_row = row_of(grid, at(grid, "总分").row)
    assert [c.value for c in total_row if c.role == "number"] == [Decimal(100), sheet.total_computed]
    grade = row_of(grid, at(grid, "自评等级").row)[1]
    assert (grade.text, grade.choices) == ("优", GRADES)
    assert grid.notes and grid.notes[0].startswith("注：1.自评采取打分评价的形式")


def test_self_evaluation_grid_without_sheet_shows_the_documents_scores() -> None:
    form = evaluation()
    grid = self_evaluation_grid(form, None)
    row = at(grid, "绩效指标合理性").row
    assert next(c for c in row_of(grid, row) if c.col == 8).value == Decimal(2)
    assert [c.value for c in row_of(grid, at(grid, "总分").row) if c.role == "number"][1] == Decimal(97)
    # the 预算执行情况 block: amounts exact and plain, the rate computed from 全年执行数 / 全年数
    line = row_of(grid, at(grid, "部门预算总额").row)
    assert [c.text for c in line[1:]] == ["1,633.2", "1,633.2", "1,633.2", "10", "100%", "10"]
    assert line[1].value == Decimal("1633.2")
    level1 = at(grid, "投入管理指标")
    assert level1.rowspan == 19
    weight = next(c for c in row_of(grid, level1.row) if c.col == 1)
    assert (weight.text, weight.rowspan) == ("30", 19)


def test_self_evaluation_rate_is_computed_not_copied() -> None:
    form = evaluation()
    line = form.budget_execution[0].model_copy(
        update={"executed": Decimal("1306.56"), "rate_raw": "（100%）"}
    )
    changed = form.model_copy(update={"budget_execution": [line, *form.budget_execution[1:]]})
    grid = self_evaluation_grid(changed, score_evaluation(changed))
    cells = row_of(grid, at(grid, "部门预算总额").row)
    assert cells[5].text == "80%"
    assert cells[6].value is not None and cells[6].value < Decimal(10)


def test_project_summary_grid_lists_projects_with_their_indicators() -> None:
    summary = next(f for f in forms_of(SEED_003) if isinstance(f, ProjectTargetSummary))
    grid = project_summary_grid(summary)
    with_indicators = [row for row in summary.rows if row.indicators]
    project = with_indicators[0]
    name = next(c for c in grid.cells if c.text == project.name and c.rowspan == len(project.indicators))
    assert name.col == 1
    money = [c for c in grid.cells if c.role == "money" and c.row == name.row]
    assert money[0].value == project.total
    assert grid.landscape


def test_the_xlsx_a_department_fills_in_has_sign_and_unit_drop_downs() -> None:
    import io

    import openpyxl

    from jixiao.render.pipeline import render
    from tests.conftest import SEED_004, load_document

    document, _ = load_document(SEED_004)
    book = openpyxl.load_workbook(io.BytesIO(render(document, "xlsx")))
    sheet = book.worksheets[-1]  # a 项目支出绩效目标申报表
    heads = [
        c.value for row in sheet.iter_rows() for c in row if c.value in ("运算符号", "指标值", "计量单位")
    ]
    assert heads == ["运算符号", "指标值", "计量单位"]
    lists = {v.formula1: v for v in sheet.data_validations.dataValidation}
    signs = next(v for f, v in lists.items() if "≥" in f)
    units = next(v for f, v in lists.items() if "万元" in f)
    assert signs.errorStyle in (None, "stop") and units.errorStyle == "warning"  # units: others allowed
    assert len(str(signs.sqref).split()) >= 1


def test_split_target_keeps_words_whole() -> None:
    from jixiao.model.indicators import Indicator, parse_target
    from jixiao.render.forms import split_target

    def split(raw: str, name: str = "指标") -> tuple[str, str, str]:
        return split_target(Indicator(name=name, target=parse_target(raw, name)))

    assert split("≥95%") == ("≥", "95", "%")
    assert split("≤30万元") == ("≤", "30", "万元")
    assert split("100%") == ("", "100", "%")
    assert split("及时") == ("", "及时", "")
    assert split("12月底之前", "完成时间") == ("", "12月底之前", "")
    assert split("≥1万人以上") == ("", "≥1万人以上", "")


def test_a_form_alone_prints_its_title_once() -> None:
    from jixiao.render.docx import write_docx
    from jixiao.render.html import write_html
    from jixiao.render.layout import Paragraph
    from tests.conftest import SEED_000, load_document

    document, _ = load_document(SEED_000)
    doc = form_doc(document.forms[0])
    assert not doc.titled
    page = write_html(doc)
    assert page.count(f">{doc.title}<") == 2  # <title> and the grid title, no second heading
    import io

    import docx

    texts = [p.text for p in docx.Document(io.BytesIO(write_docx(doc))).paragraphs]
    assert texts.count(doc.title) == 1
    assert type(doc)(title=doc.title, blocks=(Paragraph("正文"), *doc.blocks)).titled
