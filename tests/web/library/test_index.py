"""Filling the library: the post_save signal on every new version, rebuild, merge."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User

from jixiao.web.library.index import index_version, merge, rebuild
from jixiao.web.library.models import IndicatorEntry, IndicatorUse
from jixiao.web.models import AuditEvent, Department, Document
from jixiao.web.store import upload
from tests.conftest import SEED_000, SEED_004


def test_signal_adds_the_uses_of_a_new_upload(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    assert IndicatorUse.objects.count() == 0
    document = upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes()).document
    uses = IndicatorUse.objects.filter(version__document=document)
    # 部门整体 form (43 rows, 补贴发放准确率 twice) + four project forms (8, 10, 11, 7 rows; the
    # second and third print one indicator twice): each indicator once per project
    assert uses.count() == 42 + 8 + 9 + 10 + 7
    exam = uses.filter(project_name="2023年事业单位面向社会公开招聘").order_by("position")
    assert [u.name for u in exam][:3] == ["报考人数", "考务人员人次", "组织考试场次"]
    staff = exam.get(name="考务人员人次")
    assert (staff.level1, staff.level2, staff.target, staff.form) == (
        "产出指标",
        "数量指标",
        "≥2500人次",
        "project_target",
    )
    entry = IndicatorEntry.objects.get(key="服务对象满意度")
    assert entry.usage_count == 2  # 部门整体 and 公益性岗位补贴 (社会公众或服务对象满意度, printed twice)
    assert entry.typical == "≥95%" and entry.typical_value == Decimal("95") and entry.direction == "正向"


def test_a_new_version_replaces_the_old_versions_uses(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    officer = users["officer"]
    document = upload(officer, departments[0], SEED_004.name, SEED_004.read_bytes()).document
    assert IndicatorEntry.objects.filter(key="报考人数").exists()
    upload(officer, departments[0], SEED_000.name, SEED_000.read_bytes(), document=document)
    assert not IndicatorUse.objects.filter(version__document=document, version__number=1).exists()
    assert IndicatorUse.objects.filter(version__document=document, version__number=2).count() == 44
    # an entry no form uses any more (and nobody curated) leaves the library
    assert not IndicatorEntry.objects.filter(key="报考人数").exists()
    # indexing the old version again changes nothing: the library holds each document's newest
    assert index_version(document.versions.get(number=1)) == 0


def test_rebuild_restores_the_library_and_keeps_curation(library: tuple[Document, Document]) -> None:
    before = IndicatorUse.objects.count()
    entry = IndicatorEntry.objects.get(key="服务对象满意度")
    entry.is_common = True
    entry.curated_name = "服务对象满意度（共性）"
    entry.save()
    IndicatorUse.objects.all().delete()
    assert rebuild() == before
    entry.refresh_from_db()
    assert entry.is_common and entry.curated_name == "服务对象满意度（共性）"
    assert entry.usage_count == 5


def test_merge_keeps_every_use_and_routes_new_uses(
    library: tuple[Document, Document], users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    target = IndicatorEntry.objects.get(key="补贴发放准确率")  # 004: 部门整体, 公益性岗位, 技工院校
    source = IndicatorEntry.objects.get(key="补助资金发放准确率")  # 003: 退役安置支出
    counted = target.usage_count + source.usage_count
    source_uses = set(source.uses.values_list("pk", flat=True))
    moved = merge(target, [source], users["admin"])
    assert moved == len(source_uses) == 1
    target.refresh_from_db()
    source.refresh_from_db()
    assert target.usage_count == counted
    assert source_uses <= set(target.uses.values_list("pk", flat=True))
    assert source.merged_into_id == target.pk and source.usage_count == 0
    event = AuditEvent.objects.get(action="library_merge")
    assert event.actor == users["admin"] and event.document is None
    assert (
        event.detail["into"]["key"] == "补贴发放准确率"
        and event.detail["merged"][0]["key"] == "补助资金发放准确率"
    )
    # a new upload naming the merged indicator lands in the entry it was merged into
    seed_003 = library[1]
    index_version(seed_003.versions.get())
    assert IndicatorUse.objects.filter(entry=source).count() == 0
    assert IndicatorUse.objects.filter(entry=target, name="补助资金发放准确率").count() == 1


def test_a_batch_import_leaves_the_figures_for_once_at_the_end(
    users: dict[str, User], departments: tuple[Department, Department]
) -> None:
    """Inside ``deferred`` (a batch import) the uses are filed at once but the touched entries'
    figures wait, marked stale; ``refresh_stale`` computes them as the signal would have."""
    from jixiao.web.library.index import deferred, refresh_stale

    with deferred():
        upload(users["officer"], departments[0], SEED_004.name, SEED_004.read_bytes())
    entry = IndicatorEntry.objects.get(key="服务对象满意度")
    assert IndicatorUse.objects.filter(entry=entry).count() == 2
    assert entry.stale and entry.usage_count == 0
    stale = IndicatorEntry.objects.filter(stale=True).count()
    assert refresh_stale() == stale > 40
    entry.refresh_from_db()
    assert not entry.stale and entry.usage_count == 2 and entry.typical == "≥95%"
    assert not IndicatorEntry.objects.filter(stale=True).exists()
