"""Realistic synthetic documents for tests and benchmarks, each with the defects planted in it.

Four families in the layout of the seed documents (text exports, table cells separated by tabs):
项目支出绩效目标申报表 (seed 004 family), 市级部门整体绩效目标申报表 (seed 000), 部门整体绩效自评表
(seed 002) and 部门预算公开 with its tables (seed 003). Department names, years, amounts, indicator
names and values are drawn from ``random.Random(seed)``: the same seed gives the same documents.

Each document records the defects planted in it as the finding codes ``jixiao check`` must raise
(``Synthetic.planted``); a document without planted defects is clean by construction (the audit may
still raise advisory findings, which is what the precision figure measures).

>>> doc = generate(7)
>>> doc == generate(7), doc.family in FAMILIES, doc.name.endswith(".txt")
(True, True, True)
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

FAMILIES = ("project_target", "dept_target", "self_evaluation", "budget_disclosure")

#: The defects each family may have planted: code → (what it is, the further codes it necessarily
#: raises: a wrong score also makes the total recomputed by the scoring rules differ, S115).
DEFECTS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "project_target": {
        "T106": ("满意度指标值写成“≥100%”", ()),
        "T101": ("一项指标的指标值未填写", ()),
    },
    "dept_target": {
        "A202": ("年度主要任务合计行与各任务之和不符", ()),
        "A201": ("一项任务的“其中财政资金”大于合计", ()),
        "T106": ("满意度指标值写成“≥100%”", ()),
    },
    "self_evaluation": {
        "S101": ("一项得分超过分值", ("S112", "S115")),
        "S106": ("总分与各项得分之和不符", ("S115",)),
        "S107": ("评价等级与总分不符", ("S115",)),
        "S108": ("实际完成值未达指标值却得满分", ("S115",)),
    },
    "budget_disclosure": {
        "A105": ("“三公”经费合计与分项之和不符", ()),
        "A101": ("支出总表合计行与科目之和不符", ("A106",)),
        "A104": ("收入总计与支出总计不等", ()),
        "A301": ("情况说明中的“三公”经费与表格不符", ()),
    },
}

#: Self-evaluation defects that each move the total away from the rules' total (at most one a document).
SCORE_DEFECTS = frozenset({"S101", "S106", "S108"})

REGIONS = (
    "郑州市", "洛阳市", "开封市", "信阳市平桥区", "南阳市宛城区", "新乡市", "许昌市", "周口市",
    "六枝特区", "遵义市汇川区", "安顺市西秀区", "驻马店市", "商丘市睢阳区", "焦作市", "鹤壁市淇滨区",
)  # fmt: skip
#: Bureau → (function class code and names for the disclosure, its projects).
BUREAUS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "教育局": ("205", "教育支出", "教育管理事务", ("校园安全设施改造", "教师继续教育培训", "学生资助", "智慧校园建设")),
    "人力资源和社会保障局": ("208", "社会保障和就业支出", "人力资源和社会保障管理事务", ("公益性岗位补贴", "事业单位公开招聘", "职业技能培训", "劳动保障监察")),
    "民政局": ("208", "社会保障和就业支出", "民政管理事务", ("困难群众救助", "养老服务设施运营补贴", "社区治理能力提升", "殡葬改革")),
    "卫生健康委员会": ("210", "卫生健康支出", "卫生健康管理事务", ("基本公共卫生服务", "妇幼健康项目", "疾病预防控制", "卫生应急演练")),
    "农业农村局": ("213", "农林水支出", "农业农村", ("高标准农田建设", "农作物病虫害防治", "农村人居环境整治", "农技推广服务")),
    "交通运输局": ("214", "交通运输支出", "公路水路运输", ("农村公路养护", "公交运营补贴", "道路安全隐患整治", "客运站点建设")),
    "文化广电和旅游局": ("207", "文化旅游体育与传媒支出", "文化和旅游", ("公共文化服务", "文物保护修缮", "全民健身活动", "旅游宣传推介")),
    "市场监督管理局": ("201", "一般公共服务支出", "市场监督管理事务", ("食品安全抽检", "特种设备安全监察", "质量基础设施建设", "消费维权服务")),
}  # fmt: skip
PEOPLE = ("王明", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏")

TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Synthetic:
    """One generated document: its file name, text and the finding codes planted in it."""

    name: str
    family: str
    department: str
    year: int
    defects: tuple[str, ...]  # the defects planted (keys of ``DEFECTS[family]``)
    planted: tuple[str, ...]  # the finding codes the audit must raise for them
    text: str

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


def _money(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _amount(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in 万元 with one decimal, between ``low`` and ``high``."""
    return Decimal(rng.randint(low * 10, high * 10)) / 10


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` positive amounts with one decimal that add up exactly."""
    tenths = int(total * 10)
    cuts = sorted(rng.sample(range(1, tenths), parts - 1))
    edges = [0, *cuts, tenths]
    return [Decimal(edges[i + 1] - edges[i]) / 10 for i in range(parts)]


def _defects(rng: random.Random, family: str) -> tuple[str, ...]:
    """About a third of the documents are clean; the others carry one or two defects."""
    roll = rng.random()
    if roll < 0.35:
        return ()
    codes = list(DEFECTS[family])
    count = 1 if roll < 0.75 or len(codes) < 2 else 2
    chosen = rng.sample(codes, count)
    if len(set(chosen) & SCORE_DEFECTS) > 1:  # two wrong scores could cancel out in the total
        chosen = chosen[:1]
    return tuple(sorted(chosen))


def expected_codes(family: str, defects: tuple[str, ...]) -> tuple[str, ...]:
    """The finding codes the audit must raise for ``defects`` planted in a ``family`` document."""
    codes = set(defects)
    for code in defects:
        codes.update(DEFECTS[family][code][1])
    return tuple(sorted(codes))


def _fmt(value: Decimal) -> str:
    return f"{value:.1f}"


# ---------------------------------------------------------------------------------------------
# 项目支出绩效目标申报表


def _project_target(rng: random.Random, region: str, bureau: str, year: int, planted: tuple[str, ...]) -> str:
    department = region + bureau
    project = f"{year}年{rng.choice(BUREAUS[bureau][3])}项目"
    budget = _amount(rng, 20, 900)
    count = rng.randint(5, 80)
    unit_cost = _money(budget / count)
    rate = rng.choice((90, 92, 95, 98))
    satisfaction = "≥100%" if "T106" in planted else f"≥{rng.choice((85, 90, 95))}%"
    quantity = "" if "T101" in planted else f"≥{count}个"
    person, phone = rng.choice(PEOPLE), rng.randint(5300000, 5399999)
    rows = [
        (
            "产出指标",
            "数量指标",
            "完成实施点位数量",
            quantity,
            "实际完成的实施点位数量",
            f"{max(count - 2, 1)}个",
        ),
        ("", "质量指标", "项目验收合格率", f"≥{rate}%", "验收合格点位数/实施点位数×100%", f"{rate}%"),
        ("", "时效指标", "项目完成时限", "≤12个月", "年度内完成项目实施", "12个月"),
        (
            "",
            "成本指标",
            "单个点位平均成本",
            f"≤{unit_cost}万元",
            "项目资金/实施点位数量",
            f"{unit_cost}万元",
        ),
        (
            "效益指标",
            "社会效益指标",
            "服务对象覆盖率",
            f"≥{rng.choice((80, 85, 90))}%",
            "已覆盖服务对象数/服务对象总数×100%",
            "85%",
        ),
        ("", "可持续影响指标", "设施正常使用年限", f"≥{rng.randint(3, 10)}年", "设施的设计使用年限", "5年"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", satisfaction, "满意人数/调查人数×100%", "90%"),
    ]
    lines = [
        f"{department}项目支出绩效目标申报表",
        "",
        f"({year}年度)",
        "",
        f"编制单位（盖章）：{department}",
        "",
        f"项目基本情况\t项目名称\t{project}\t\t\t\t",
        f"\t项目负责人\t{person}\t\t联系电话\t{phone}\t",
        "\t项目类别\t其它\t\t\t\t",
        f"\t项目属性\t{rng.choice(('延续项目', '新增项目'))}\t\t\t\t",
        f"\t项目计划实施时间\t{year}-01-01至{year}-12-31\t\t\t\t",
        f"项目资金情况\t预算资金(万元)\t{_fmt(budget)}\t资金性质\t一般公共预算安排\t\t",
        f"绩效目标情况\t年度目标\t按期完成{project}，资金使用规范，服务对象满意。\t\t\t\t",
        f"\t本年度实施计划\t计划1\t{year}年3月至{year}年11月分批组织实施。\t\t\t",
        f"\t保障绩效目标实现的措施\t组织机构:\t{department}\t\t\t",
        f"\t\t管理制度:\t《{region}财政专项资金管理办法》\t\t\t",
        "\t指标\t一级指标\t二级指标\t三级指标\t指标值\t指标解释及计算公式\t上年度指标值或实际水平",
    ]
    lines += ["\t\t" + "\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# 市级部门整体绩效目标申报表


def _dept_target(rng: random.Random, region: str, bureau: str, year: int, planted: tuple[str, ...]) -> str:
    department = region + bureau
    projects = BUREAUS[bureau][3]
    count = rng.randint(3, len(projects))
    totals = [_amount(rng, 20, 800) for _ in range(count)]
    fiscal = [t if rng.random() < 0.7 else _money(t * Decimal("0.8")) for t in totals]
    if "A201" in planted:
        fiscal[0] = totals[0] + _amount(rng, 5, 50)
    sum_total, sum_fiscal = sum(totals, Decimal(0)), sum(fiscal, Decimal(0))
    printed_total = sum_total + _amount(rng, 10, 90) if "A202" in planted else sum_total
    satisfaction = "≥100%" if "T106" in planted else f"≥{rng.choice((85, 90, 95))}%"
    lines = [
        "市级部门整体绩效目标申报表",
        "",
        f"({year} 年度)",
        "",
        f"部门名称\t\t{department}\t\t\t",
        f"年度总体目标\t目标1: 贯彻落实{year}年度工作部署，全面完成{bureau}各项职能任务。\t\t\t\t",
        "\t目标2: 规范预算资金管理，提高财政资金使用效益。\t\t\t\t",
        "年度主要任务\t任务名称\t主要内容\t预算资金(万元)\t\t",
        "\t\t\t合计\t其中: 财政资金\t备注",
    ]
    for index, (name, total, money) in enumerate(zip(projects, totals, fiscal, strict=False), start=1):
        lines.append(f"\t任务{index}\t{name}\t{_fmt(total)}\t{_fmt(money)}\t按年度计划组织实施")
    lines.append(f"\t合计\t\t{_fmt(printed_total)}\t{_fmt(sum_fiscal)}\t")
    lines += [
        "一级指标\t二级指标\t三级指标\t指标值\t指标解释\t指标说明",
        "履职效能\t整体工作完成\t总体工作完成率\t≥95%\t反映部门年度总体工作完成情况\t总体工作完成率=已完成工作数量/工作总数量×100%",
        f"\t重点工作履行\t{projects[0]}完成率\t≥{rng.choice((90, 95))}%\t反映重点工作进展情况\t已完成工作量/计划工作量×100%",
        f"管理效率\t预算管理\t预算执行率\t≥{rng.choice((90, 95))}%\t反映部门年度预算执行情况\t预算执行率=预算执行数/预算数×100%",
        "\t\t政府采购执行率\t≥95%\t反映政府采购执行情况\t实际政府采购金额/政府采购预算数×100%",
        "运行成本\t成本控制成效\t“三公经费”变动率\t≤0%\t反映“三公经费”控制情况\t（本年度“三公经费”-上年度“三公经费”）/上年度“三公经费”×100%",
        f"服务满意\t服务对象满意\t群众满意度\t{satisfaction}\t反映服务对象对部门服务的满意度\t满意人数/调查人数×100%",
        "可持续性\t创新能力\t长效管理机制\t健全\t反映部门长效管理机制建设情况\t长效管理制度建立情况",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# 部门整体绩效自评表


def _grade(total: Decimal) -> str:
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def _self_evaluation(
    rng: random.Random, region: str, bureau: str, year: int, planted: tuple[str, ...]
) -> str:
    department = region + bureau
    projects = BUREAUS[bureau][3]
    budget = _amount(rng, 200, 5000)
    spent = _money(budget * Decimal(rng.randint(900, 1000)) / 1000)
    rate = (spent / budget * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    budget_score = (Decimal(10) * spent / budget).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    # (level 1, level 2, level 3, target, actual, weight, score): qualitative rows may lose points
    rows: list[list[str | Decimal]] = []
    reasons: dict[int, str] = {}
    bump = 0  # points given above a weight (S101)

    def qualitative(level1: str, level2: str, name: str, value: str, weight: int) -> None:
        score = Decimal(weight) - (rng.choice((0, 0, 1, 2)) if weight >= 10 else 0)
        rows.append([level1, level2, name, value, value, Decimal(weight), score])

    qualitative("投入管理指标", "工作目标管理", "年度履职目标相关性", "相关", 10)
    qualitative("", "预算和财务管理", "预算编制完整性", "完整", 10)
    qualitative("", "", "资金使用合规性", "合规", 10)
    for index, points in ((0, 10), (1, 15)):
        target = rng.choice((90, 95, 100))
        rows.append(["产出指标" if index == 0 else "", "重点工作任务完成" if index == 0 else "",
                     f"{projects[index]}计划完成率", f"≥{target}%" if target < 100 else "100%",
                     "100%", Decimal(points), Decimal(points)])  # fmt: skip
    qualitative("效益指标", "履职社会效益", f"{projects[2]}管理规范性", "规范", 10)
    qualitative("", "可持续发展影响", "长效管理制度", "健全", 10)
    target = rng.choice((85, 90))
    rows.append(
        [
            "",
            "满意度",
            "群众满意度",
            f"≥{target}%",
            f"{target + rng.randint(1, 9)}%",
            Decimal(15),
            Decimal(15),
        ]
    )
    if "S108" in planted:  # the satisfaction survey fell short of its target, yet full points
        rows[-1][4] = f"{target - rng.randint(5, 15)}%"
        reasons[len(rows) - 1] = "部分服务对象对办理时限不满意，下一步优化办理流程"
    if "S101" in planted:
        pick = rng.choice((0, 1, 2, 5, 6))
        bump = rng.randint(1, 3)
        rows[pick][6] = Decimal(rows[pick][5]) + bump
    total = budget_score + sum((Decimal(r[6]) for r in rows), Decimal(0))
    # never above 100, and never undoing an S101 bump (the rules' total would match again)
    shift = rng.choice([d for d in (2, 3) if d != bump]) * (-1 if total > 97 or rng.random() < 0.5 else 1)
    printed_total = total + shift if "S106" in planted else total
    grade = _grade(printed_total)
    if "S107" in planted:
        grade = {"优": "良", "良": "优", "中": "优", "差": "中"}[grade]
    lines = [
        f"附件 1：{year} 年度部门整体绩效自评表",
        "",
        f"部门（单位）名称\t\t{department}\t\t\t\t\t\t",
        "预算执行情况\t\t\t年初数\t全年数\t全年执行数\t分值\t预算执行率\t得分",
        f"\t部门预算总额（万元）\t\t{_fmt(budget)}\t{_fmt(budget)}\t{_fmt(spent)}\t10\t{rate}%\t{budget_score}",
        f"\t资金来源\t财政性资金\t{_fmt(budget)}\t{_fmt(budget)}\t{_fmt(spent)}\t\t{rate}%\t",
        "\t\t其他资金\t\t\t\t\t\t",
        "一级指标\t分值\t二级指标\t三级指标\t指标值\t指标说明\t实际完成值\t分值\t得分\t未完成原因分析及改进措施",
    ]
    level_weights = {"投入管理指标": 30, "产出指标": 25, "效益指标": 35}
    for number, (level1, level2, name, value, actual, weight, score) in enumerate(rows):
        weight_cell = str(level_weights[str(level1)]) if level1 else ""
        reason = reasons.get(number, "")
        lines.append(
            f"{level1}\t{weight_cell}\t{level2}\t{name}\t{value}\t\t{actual}\t{weight}\t{score}\t{reason}"
        )
    lines += [f"总分\t100\t\t\t\t\t\t100\t{printed_total}\t", f"评价等级\t{grade}\t\t\t\t\t\t\t\t", ""]
    lines.append("注：自评采取打分评价的形式，满分为100分。")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# 部门预算公开


def _budget_disclosure(
    rng: random.Random, region: str, bureau: str, year: int, planted: tuple[str, ...]
) -> str:
    department = region + bureau
    code, class_name, _, _ = BUREAUS[bureau]
    basic, project = _amount(rng, 100, 6000), _amount(rng, 50, 4000)
    total = basic + project
    abroad, reception, car_run = _amount(rng, 0, 5), _amount(rng, 1, 10), _amount(rng, 2, 30)
    car_buy = _amount(rng, 10, 30) if rng.random() < 0.2 else Decimal("0.0")
    car = car_buy + car_run
    three = abroad + reception + car
    printed_three = three + _amount(rng, 1, 9) if "A105" in planted else three
    carried = _amount(rng, 10, 99) if "A104" in planted else None  # 年终结转结余 with no income for it
    table_total = total + _amount(rng, 10, 99) if "A101" in planted else total
    told_three = printed_three + _amount(rng, 1, 5) if "A301" in planted else printed_three
    share = (basic / total * 100).quantize(TENTH, rounding=ROUND_HALF_UP)
    lines = [
        f"# {year} 年{department}部门预算公开",
        "",
        f"## 第一部分 {year} 年{department}部门预算情况说明",
        "",
        "### 一、收入支出预算总体情况说明",
        "",
        f"{department} {year} 年收入总计 {_fmt(total)} 万元，支出总计 {_fmt(total)} 万元。",
        "",
        "### 二、支出预算总体情况说明",
        "",
        f"{department} {year} 年支出合计 {_fmt(total)} 万元，其中：基本支出 {_fmt(basic)} 万元，占 {share}%；"
        f"项目支出 {_fmt(project)} 万元，占 {Decimal(100) - share}%。",
        "",
        "### 三、一般公共预算“三公”经费支出预算情况说明",
        "",
        f"{department} {year} 年“三公”经费支出预算为 {_fmt(told_three)} 万元。其中：因公出国（境）费 {_fmt(abroad)} 万元，"
        f"公务接待费 {_fmt(reception)} 万元，公务用车购置及运行费 {_fmt(car)} 万元。",
        "",
        f"## 第二部分 {year} 年{department}部门预算表",
        "",
        f"## 一、{year}年部门收支总体情况表",
        "",
        f"部门名称： {department}",
        "",
        "单位：万元",
        "",
        "收入\t\t支出\t",
        "项目\t金额\t项目\t金额",
        f"一、一般公共预算\t{_fmt(total)}\t一、{class_name}\t{_fmt(total)}",
        f"其中：财政拨款\t{_fmt(total)}\t二、外交\t",
        "二、政府性基金预算拨款收入\t\t\t",
        f"本年收入合计\t{_fmt(total)}\t本年支出合计\t{_fmt(total)}",
        f"上年结转结余\t\t年终结转结余\t{_fmt(carried) if carried is not None else ''}",
        f"收入总计\t{_fmt(total)}\t支出总计\t{_fmt(total + (carried or 0))}",
        "",
        f"## 二、{year}年部门支出总体情况表",
        "",
        f"部门名称： {department}",
        "",
        "单位：万元",
        "",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        f"\t合计\t{_fmt(table_total)}\t{_fmt(table_total - project)}\t{_fmt(project)}",
        f"{code}\t{class_name}\t{_fmt(total)}\t{_fmt(basic)}\t{_fmt(project)}",
    ]
    lines += [
        "",
        f"## 三、{year}年一般公共预算“三公”经费支出情况表",
        "",
        f"部门名称： {department}",
        "",
        "单位：万元",
        "",
        "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
        "\t\t小计\t公务用车购置费\t公务用车运行费\t",
        f"{_fmt(printed_three)}\t{_fmt(abroad)}\t{_fmt(car)}\t{_fmt(car_buy)}\t{_fmt(car_run)}\t{_fmt(reception)}",
    ]
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[random.Random, str, str, int, tuple[str, ...]], str]] = {
    "project_target": _project_target,
    "dept_target": _dept_target,
    "self_evaluation": _self_evaluation,
    "budget_disclosure": _budget_disclosure,
}


def generate(seed: int, index: int = 0, family: str | None = None) -> Synthetic:
    """Document number ``index`` of the series ``seed`` (the same arguments, the same document)."""
    rng = random.Random(f"jixiao-synth:{seed}:{index}")
    family = family or FAMILIES[index % len(FAMILIES)]
    region, bureau = rng.choice(REGIONS), rng.choice(sorted(BUREAUS))
    year = rng.randint(2019, 2025)
    defects = _defects(rng, family)
    text = _WRITERS[family](rng, region, bureau, year, defects)
    name = f"{index:05d}_{family}_{region}{bureau}_{year}.txt"
    return Synthetic(name, family, region + bureau, year, defects, expected_codes(family, defects), text)


def generate_many(count: int, seed: int = 0) -> Iterator[Synthetic]:
    """``count`` documents, the four families in turn."""
    for index in range(count):
        yield generate(seed, index)


MANIFEST = "planted.json"


def write_folder(folder: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` documents into ``folder`` and a manifest ``planted.json`` (name → codes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    manifest: dict[str, dict[str, object]] = {}
    for doc in generate_many(count, seed):
        path = folder / doc.name
        path.write_bytes(doc.data)
        paths.append(path)
        record = asdict(doc)
        del record["text"]
        manifest[doc.name] = record
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
