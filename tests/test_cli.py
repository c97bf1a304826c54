"""The CLI: JSON shape, exit codes, bad input in a batch."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao.cli import app
from tests.conftest import SEED_000, SEED_002

runner = CliRunner()


def test_parse_prints_the_documented_json_shape() -> None:
    result = runner.invoke(app, ["parse", str(SEED_000)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1
    (doc,) = payload["documents"]
    assert set(doc) == {"file", "sha256", "size", "format", "kind", "forms", "findings"}
    assert doc["file"] == SEED_000.name and doc["format"] == "txt"


def test_a_bad_file_in_a_batch_gives_exit_2_and_the_others_are_still_read(tmp_path: Path) -> None:
    empty = tmp_path / "空文件.xlsx"
    empty.write_bytes(b"")
    png = tmp_path / "picture.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    result = runner.invoke(app, ["parse", str(empty), str(SEED_000), str(png), str(tmp_path / "missing.pdf")])
    assert result.exit_code == 2
    docs = json.loads(result.stdout)["documents"]
    assert [
        d["findings"][0]["code"] if d["findings"] and d["findings"][0]["code"].startswith("R") else None
        for d in docs
    ] == ["R001", None, "R003", "R010"]
    assert (
        "文件为空" in docs[0]["findings"][0]["message"] and "空文件.xlsx" in docs[0]["findings"][0]["message"]
    )
    assert "PNG" in docs[2]["findings"][0]["message"]
    assert "Traceback" not in result.output


def test_parse_writes_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["parse", str(SEED_000), "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["file"] == SEED_000.name


def test_inspect_shows_a_tree_and_a_count(tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    result = runner.invoke(app, ["inspect", str(SEED_000), str(bad)])
    assert result.exit_code == 2
    assert "共 2 个文件，成功读取 1 个，无法读取 1 个" in result.stdout


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["parse"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_check_prints_findings_like_a_compiler_and_exits_1_on_errors() -> None:
    result = runner.invoke(app, ["check", str(SEED_002)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{SEED_002.name}:L") and " E S" in line for line in lines)
    assert lines[-1].startswith("共 1 个文件：错误 ")


def test_check_fail_on_threshold_and_select() -> None:
    clean = runner.invoke(app, ["check", str(SEED_000), "--select", "F101"])
    assert clean.exit_code == 0, clean.output
    warned = runner.invoke(app, ["check", str(SEED_000), "--select", "F0", "--fail-on", "warning"])
    assert warned.exit_code == 1  # 000 has shifted rows (F002, warning)
    info_only = runner.invoke(app, ["check", str(SEED_000), "--select", "F040", "--fail-on", "warning"])
    assert info_only.exit_code == 0 and "F040" in info_only.stdout


def test_check_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["check", str(SEED_000), "--format", "json"])
    payload = json.loads(result.stdout)
    assert set(payload) == {"schema_version", "generator", "documents", "stats"}
    (document,) = payload["documents"]
    assert {"file", "kind", "findings", "rules"} <= set(document)
    finding = document["findings"][0]
    assert set(finding) == {"code", "severity", "message", "locations", "expected", "actual", "suggestion"}
    assert {"file", "sheet", "page", "table", "row", "col", "cell"} <= set(finding["locations"][0])
    statuses = {rule["status"] for rule in document["rules"]}
    assert "passed" in statuses and "not_applicable" in statuses
    assert (
        payload["stats"]["rules_run"] == payload["stats"]["rules_passed"] + payload["stats"]["rules_failed"]
    )


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", str(SEED_000), "--select", "Q999"]).exit_code == 2
    assert runner.invoke(app, ["check", str(SEED_000), "--format", "xlsx"]).exit_code == 2
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["check", str(empty), str(SEED_000)])
    assert result.exit_code == 2 and "R001" in result.stdout


def test_check_in_two_processes_gives_the_same_report() -> None:
    one = runner.invoke(app, ["check", str(SEED_000), str(SEED_002), "--format", "json"])
    two = runner.invoke(app, ["check", str(SEED_000), str(SEED_002), "--format", "json", "--jobs", "2"])
    assert json.loads(one.stdout)["documents"] == json.loads(two.stdout)["documents"]


def test_score_prints_each_row_with_its_working_and_the_totals() -> None:
    result = runner.invoke(app, ["score", str(SEED_002)])
    assert result.exit_code == 1, result.output  # 002 breaks its own rules (S112 errors)
    assert "河南省区县部门整体支出绩效自评" in result.stdout and "按自评表注释选定" in result.stdout
    assert "总分：自评 97（优），重算 95.6（优）" in result.stdout
    assert "实际 98.95% ≥ 目标 90%，得满分 15" in result.stdout
    assert " E S112 " in result.stdout


def test_score_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["score", str(SEED_002), "--format", "json", "--ruleset", "henan-dept"])
    payload = json.loads(result.stdout)
    assert {
        "ruleset",
        "rows",
        "levels",
        "total_reported",
        "total_computed",
        "grade_reported",
        "grade_computed",
    } <= set(payload)
    assert payload["ruleset"] == "henan-dept" and payload["total_computed"] == "95.60"
    row = payload["rows"][1]
    assert {
        "indicator",
        "weight",
        "target",
        "actual",
        "reported_score",
        "computed_score",
        "explanation",
        "locations",
    } <= set(row)
    assert {f["code"] for f in payload["findings"]} >= {"S105", "S112", "S115"}


def test_score_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["score", str(SEED_000)]).exit_code == 2  # no self-evaluation in it
    assert runner.invoke(app, ["score", str(SEED_002), "--ruleset", "guangdong"]).exit_code == 2
    broken = tmp_path / "bad.toml"
    broken.write_text('name = "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["score", str(SEED_002), "--ruleset", str(broken)])
    assert result.exit_code == 2 and "bad.toml" in result.output
    assert runner.invoke(app, ["score", str(SEED_002), "--choose", "长效管理制度"]).exit_code == 2
    chosen = runner.invoke(app, ["score", str(SEED_002), "--choose", "长效管理制度=10", "-f", "json"])
    assert json.loads(chosen.stdout)["total_computed"] == "96.60"


def test_rulesets_lists_the_shipped_rules() -> None:
    result = runner.invoke(app, ["rulesets"])
    assert result.exit_code == 0 and "henan-dept" in result.stdout and "投入管理指标 30" in result.stdout


def test_render_writes_the_report_and_the_form_read_back_the_same(tmp_path: Path) -> None:
    import docx

    from jixiao.ingest.load import parse_file

    report = tmp_path / "自评报告.docx"
    result = runner.invoke(app, ["render", str(SEED_002), "--to", "docx", "-o", str(report)])
    assert result.exit_code == 0, result.output
    headings = [p.text for p in docx.Document(str(report)).paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:3] == ["一、基本情况", "二、绩效自评工作开展情况", "三、综合评价结论"]
    table = tmp_path / "自评表.xlsx"
    assert runner.invoke(app, ["render", str(SEED_002), "--to", "xlsx", "-o", str(table)]).exit_code == 0
    (again,) = parse_file(table).forms
    (original,) = parse_file(SEED_002).forms
    assert again.form == "self_evaluation" and again.department == original.department
    assert [(i.name, i.weight) for i in again.indicators] == [(i.name, i.weight) for i in original.indicators]


def test_render_from_the_json_of_jixiao_parse(tmp_path: Path) -> None:
    parsed = tmp_path / "000.json"
    assert runner.invoke(app, ["parse", str(SEED_000), "-o", str(parsed)]).exit_code == 0
    result = runner.invoke(app, ["render", str(parsed), "--to", "html", "-o", str(tmp_path / "000.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "000.html").read_text(encoding="utf-8")
    assert "郑州市人力资源和社会保障局" in page and "<table" in page


def test_render_errors_are_clear_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1}', encoding="utf-8")
    result = runner.invoke(app, ["render", str(bad), "--to", "pdf"])
    assert result.exit_code == 2 and "G003" in result.output and "bad.json" in result.output
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["render", str(empty), "--to", "xlsx", "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and "R001" in result.output
    assert not (tmp_path / "out.xlsx").exists()
    same = tmp_path / "seed.xlsx"
    assert runner.invoke(app, ["render", str(SEED_000), "--to", "xlsx", "-o", str(same)]).exit_code == 0
    result = runner.invoke(app, ["render", str(same), "--to", "xlsx", "-o", str(same)])
    assert result.exit_code == 2 and "不能覆盖" in result.output
    result = runner.invoke(app, ["render", str(SEED_000), "--to", "odt"])
    assert result.exit_code == 2
