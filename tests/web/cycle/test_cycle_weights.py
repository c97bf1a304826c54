"""分值 per row on the self-evaluation page (seed 004's 公益性岗位补贴 project, approved through the
workflow): prefilled with the equal shares, typed per row and scored live with them, each ruleset
level checked against the ruleset's points (M114 beside the level's subtotal, M112/M113 beside the
row), the files refused while a level does not add up, and the 自评表 round trip carrying the
weights (download, change a 分值 and an actual in Excel, import, the page shows them)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.monitor.evaluation import read_weights, score
from jixiao.scoring.ruleset import load_ruleset
from jixiao.web.cycle.access import target_forms
from jixiao.web.cycle.models import SelfEvaluationDraft
from jixiao.web.models import Document
from tests.web.cycle.test_cycle_views import WELFARE, WELFARE_ACTUALS, client_for, self_url

CUSTOM = ["20", "5", "10", "10", "5", "15", "10", "5", "4", "6"]
REASONS = {"reason-0": "部分公益岗位下半年才开发", "reason-6": "两户家庭迁出辖区"}


def typed(weights: list[str]) -> dict[str, str]:
    data = {f"actual-{i}": value for i, value in enumerate(WELFARE_ACTUALS)}
    data.update({f"weight-{i}": w for i, w in enumerate(weights)})
    data.update(
        {"executed": "38", "ruleset": "national-project", "weights_for": "national-project", **REASONS}
    )
    return data


def table_url(document: Document) -> str:
    return (
        reverse("jixiao_cycle:self_evaluation_download", args=[document.pk, "table", "xlsx"])
        + f"?form={WELFARE}"
    )


def test_inputs_are_prefilled_with_the_equal_shares(users: dict[str, User], approved_004: Document) -> None:
    page = client_for(users["officer"]).get(self_url(approved_004)).content.decode()
    assert 'name="weight-0" value="10"' in page and 'name="weight-9" value="5"' in page
    assert 'aria-label="享受公益性岗位补贴人数 分值"' in page
    assert 'name="weights_for" value="national-project"' in page
    viewer = client_for(users["reviewer"]).get(self_url(approved_004)).content.decode()
    assert (
        'name="weight-0" value="10" inputmode="decimal" class="weight-input" aria-label="享受公益性岗位补贴人数 分值" disabled'
        in viewer
    )


def test_live_scores_use_the_typed_weights(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    live = client.post(self_url(approved_004, name="self_evaluation_live"), typed(CUSTOM)).content.decode()
    form = target_forms(approved_004)[WELFARE].form
    ruleset = load_ruleset("national-project")
    weights = read_weights(form.indicators, CUSTOM, ruleset)
    _rows, sheet = score(form, WELFARE_ACTUALS, Decimal(38), ruleset, weights.values)
    assert sheet.total_computed != Decimal("96.11")
    assert f'<span class="big" id="total">{sheet.total_computed}</span>' in live
    assert 'id="score-0" hx-swap-oob="true" class="score missed">14.29 / 20</span>' in live
    assert "M114" not in live and "可以生成自评表和自评报告" in live


def test_a_level_that_does_not_add_up_is_shown_and_blocks_the_files(
    users: dict[str, User], approved_004: Document
) -> None:
    client = client_for(users["officer"])
    weights = list(CUSTOM)
    weights[0], weights[5] = "18", "十五"
    live = client.post(self_url(approved_004, name="self_evaluation_live"), typed(weights)).content.decode()
    levels = live[live.index('id="levels"') : live.index("</table>")]
    produce = levels[levels.index("<td>产出指标") :]
    produce = produce[: produce.index("</tr>")]
    assert "M114" in produce and "产出指标：三级指标分值合计 48，评分规则为 50" in produce
    assert '<td class="num bad">48</td>' in produce
    assert (
        'id="weightissue-5" hx-swap-oob="true" class="weight-issue"><code>M112</code> 分值无法读取为数值：“十五”'
        in live
    )
    negative = list(CUSTOM)
    negative[1] = "-5"
    live = client.post(self_url(approved_004, name="self_evaluation_live"), typed(negative)).content.decode()
    assert "<code>M113</code> 分值不能为负数：“-5”" in live

    # saved as typed (a draft may be wrong), but no 自评表 until the level adds up
    assert client.post(self_url(approved_004), typed(["18", *CUSTOM[1:]])).status_code == 302
    draft = SelfEvaluationDraft.objects.get(document=approved_004, form_index=WELFARE)
    assert draft.rows[0]["weight"] == "18"
    page = client.get(self_url(approved_004)).content.decode()
    assert 'name="weight-0" value="18"' in page and "M114" in page
    refused = client.get(table_url(approved_004))
    assert refused.status_code == 400 and "三级指标分值合计 48，评分规则为 50" in refused.content.decode()
    assert client.post(self_url(approved_004), typed(CUSTOM)).status_code == 302
    assert client.get(table_url(approved_004)).status_code == 200


def test_changing_the_ruleset_resets_the_weights(users: dict[str, User], approved_004: Document) -> None:
    """The 部门整体 form (first) may be scored by the national or the 河南 rule: typed 分值 belong to
    the rule they were typed for; choosing another one brings its equal shares back."""
    client = client_for(users["officer"])
    url = self_url(approved_004, form=0, name="self_evaluation_live")
    data = {"ruleset": "henan-dept", "weights_for": "national-dept", "weight-0": "99"}
    live = client.post(url, data).content.decode()
    assert 'id="weights-for" name="weights_for" value="henan-dept" hx-swap-oob="true"' in live
    assert 'id="weightbox-0" hx-swap-oob="true"' in live and 'name="weight-0" value="99"' not in live
    kept = client.post(url, {"ruleset": "national-dept", "weights_for": "national-dept", "weight-0": "99"})
    text = kept.content.decode()
    assert 'id="weightbox-0"' not in text and "M114" in text  # typed for this rule: kept, and checked


def test_round_trip_of_weights_through_the_table(users: dict[str, User], approved_004: Document) -> None:
    client = client_for(users["officer"])
    assert client.post(self_url(approved_004), typed(CUSTOM)).status_code == 302
    data = client.get(table_url(approved_004)).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    rows = {sheet.cell(r, 3).value: r for r in range(1, sheet.max_row + 1)}
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "三级指标")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    first, cost = rows["享受公益性岗位补贴人数"], rows["公益性岗位补贴人均标准"]
    assert sheet.cell(first, columns["分值"]).value == 20 and sheet.cell(cost, columns["分值"]).value == 5
    sheet.cell(first, columns["分值"]).value = 15  # 20 → 15 and 5 → 10: 产出 still 50
    sheet.cell(cost, columns["分值"]).value = 10
    sheet.cell(first, columns["实际完成值"]).value = "600"
    edited = io.BytesIO()
    book.save(edited)
    upload = SimpleUploadedFile("自评表.xlsx", edited.getvalue())
    assert (
        client.post(self_url(approved_004, name="self_evaluation_import"), {"file": upload}).status_code
        == 302
    )
    draft = SelfEvaluationDraft.objects.get(document=approved_004, form_index=WELFARE)
    assert draft.rows[0] == {"actual": "600", "reason": REASONS["reason-0"], "weight": "15"}
    assert draft.rows[4]["weight"] == ""  # 10 is the equal share again
    assert [row["weight"] for row in draft.rows[5:]] == ["15", "", "5", "4", "6"]
    page = client.get(self_url(approved_004)).content.decode()
    assert 'name="weight-0" value="15"' in page and 'name="actual-0" value="600"' in page
    assert 'name="weight-4" value="10"' in page and "M114" not in page
