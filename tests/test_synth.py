"""The synthetic documents: read by the library as their family, every planted defect found."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from jixiao.checks.engine import audit_documents
from jixiao.ingest.load import load_bytes
from jixiao.synth import DEFECTS, FAMILIES, MANIFEST, generate, generate_many, write_folder

SAMPLE = 52  # 13 of each family


def _audited_codes(data: bytes, name: str) -> tuple[str, list[str]]:
    document, source = load_bytes(data, name)
    assert document.readable, name
    report = audit_documents([document], [source])
    return document.kind, [f.code for f in report.documents[0].findings]


def test_same_seed_same_documents_other_seed_other_documents() -> None:
    assert [d.text for d in generate_many(8, seed=3)] == [d.text for d in generate_many(8, seed=3)]
    assert [d.text for d in generate_many(8, seed=3)] != [d.text for d in generate_many(8, seed=4)]


def test_sample_read_as_their_family_and_every_planted_defect_found() -> None:
    planted = found = other = 0
    kinds: Counter[tuple[str, str]] = Counter()
    defects: Counter[str] = Counter()
    for doc in generate_many(SAMPLE, seed=0):
        kind, codes = _audited_codes(doc.data, doc.name)
        kinds[(doc.family, kind)] += 1
        defects.update(doc.defects)
        missing = [code for code in doc.planted if code not in codes]
        assert not missing, (doc.name, doc.planted, codes)
        planted += len(doc.planted)
        found += sum(1 for code in doc.planted if code in codes)
        other += sum(1 for code in codes if code not in doc.planted)
    assert found == planted > 40  # recall 1.0
    precision = found / (found + other)
    print(f"recall 1.0 ({found}/{planted}); precision {precision:.3f} ({other} other findings)")
    assert precision >= 0.95
    assert set(kinds) == {
        ("project_target", "project_target"),
        ("dept_target", "dept_target"),
        ("self_evaluation", "self_evaluation"),
        ("budget_disclosure", "budget_disclosure"),
    }
    every_defect = {code for family in DEFECTS.values() for code in family}
    assert every_defect <= set(defects)  # the sample plants every kind of defect at least once


@pytest.mark.parametrize("family", FAMILIES)
def test_clean_documents_raise_no_error(family: str) -> None:
    clean = [d for d in (generate(1, i, family) for i in range(40)) if not d.defects][:3]
    assert clean
    for doc in clean:
        _, codes = _audited_codes(doc.data, doc.name)
        assert codes == [], (doc.name, codes)


def test_write_folder_writes_files_and_manifest(tmp_path: Path) -> None:
    paths = write_folder(tmp_path, 6, seed=2)
    assert [p.name for p in paths] == [d.name for d in generate_many(6, seed=2)]
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest) == {p.name for p in paths}
    first = generate(2, 0)
    assert manifest[first.name]["planted"] == list(first.planted)
    assert paths[0].read_bytes() == first.data


def test_check_folder_reports_each_broken_file_and_goes_on(tmp_path: Path) -> None:
    """``jixiao check DIR``: the generated folder (and a subfolder) audited, broken files reported."""
    from typer.testing import CliRunner

    from jixiao.cli import app

    write_folder(tmp_path, 8, seed=4)
    (tmp_path / "子目录").mkdir()
    (tmp_path / "子目录" / "空.txt").write_bytes(b"")
    (tmp_path / "子目录" / "坏.xlsx").write_bytes(b"not a workbook")
    (tmp_path / ".hidden.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["check", "--format", "json", str(tmp_path)])
    assert result.exit_code == 2  # some files could not be read
    report = json.loads(result.stdout)
    files = {d["file"]: {f["code"] for f in d["findings"]} for d in report["documents"]}
    assert len(files) == 10 and ".hidden.txt" not in files and MANIFEST not in files
    assert "R001" in files["空.txt"] and any(code.startswith("R") for code in files["坏.xlsx"])
    for doc in generate_many(8, seed=4):
        assert set(doc.planted) <= files[doc.name]
    assert "2 个文件无法读取（其余 8 个已审核）" in result.stderr
