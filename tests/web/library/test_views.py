"""The pages of 指标库: list and search, one entry with its uses (links only to documents the user
may see), the suggestion partial and its JSON, the near-duplicate endpoint."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from jixiao.web.library.index import merge
from jixiao.web.library.models import IndicatorEntry
from jixiao.web.models import Document
from tests.web.conftest import PASSWORD


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_list_shows_entries_with_levels_usage_typical_value_and_direction(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    page = _client(users["officer"]).get(reverse("jixiao_library:list"))
    assert page.status_code == 200
    html = page.content.decode()
    entry = IndicatorEntry.objects.get(key="服务对象满意度")
    assert f'href="{reverse("jixiao_library:entry", args=[entry.pk])}"' in html
    assert "满意度指标" in html and "100%" in html and "正向" in html
    # the most used entry comes first; 50 a page
    first_row = html[html.index("<tbody>") :].split("</tr>")[0]
    assert "服务对象满意度" in first_row and '<td class="num">5</td>' in first_row
    listed = IndicatorEntry.objects.filter(usage_count__gt=0, merged_into__isnull=True).count()
    assert listed > 50 and f"第 1 / {(listed + 49) // 50} 页，共 {listed} 个" in html


def test_search_answers_htmx_with_the_list_only(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    client = _client(users["viewer"])
    page = client.get(
        reverse("jixiao_library:list"), {"q": "满意率"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="entry-list"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html
    assert "代缴满意率" in html or "代缴满意度" in html
    assert "报考人数" not in html
    common = IndicatorEntry.objects.get(key="群众满意度")
    common.is_common = True
    common.save()
    only_common = client.get(reverse("jixiao_library:list"), {"common": "1"}).content.decode()
    assert "群众满意度" in only_common and "共性" in only_common and "报考人数" not in only_common


def test_entry_links_only_to_documents_the_user_may_see(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    seed_004, seed_003 = library
    entry = IndicatorEntry.objects.get(key="服务对象满意度")  # 2 uses in 004 (officer's), 3 in 003 (other's)
    url = reverse("jixiao_library:entry", args=[entry.pk])
    officer = _client(users["officer"]).get(url).content.decode()
    assert reverse("jixiao:document", args=[seed_004.pk]) in officer
    assert reverse("jixiao:document", args=[seed_003.pk]) not in officer
    assert "基层公共服务平台专项工作经费" not in officer
    assert "另有 3 处使用" in officer
    reviewer = _client(users["reviewer"]).get(url).content.decode()
    assert reverse("jixiao:document", args=[seed_003.pk]) in reviewer
    assert "基层公共服务平台专项工作经费" in reviewer and "另有" not in reviewer


def test_a_merged_entry_redirects_to_the_one_it_was_merged_into(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    target = IndicatorEntry.objects.get(key="补贴发放准确率")
    source = IndicatorEntry.objects.get(key="补助资金发放准确率")
    merge(target, [source], users["admin"])
    client = _client(users["reviewer"])
    answer = client.get(reverse("jixiao_library:entry", args=[source.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "jixiao_library:entry", args=[target.pk]
    )
    listed = client.get(reverse("jixiao_library:list"), {"q": "补助资金发放准确率"}).content.decode()
    assert f'href="{reverse("jixiao_library:entry", args=[source.pk])}"' not in listed


def test_suggest_partial_carries_what_the_editor_inserts(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    answer = _client(users["officer"]).get(
        reverse("jixiao_library:suggest"), {"project": "2024年事业单位公开招聘"}, HTTP_HX_REQUEST="true"
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and "<html" not in html
    button = re.search(r'<button[^>]*data-name="考务人员人次"[^>]*>', html)
    assert button is not None
    for attribute in (
        'data-level1="产出指标"',
        'data-level2="数量指标"',
        'data-target="≥2500人次"',
        'data-value="2500"',
        'data-comparator="≥"',
        'data-unit="人次"',
        'data-direction="正向"',
    ):
        assert attribute in button.group(0)
    # the similar project's indicators in its own row order
    assert (
        html.index('data-name="报考人数"')
        < html.index('data-name="考务人员人次"')
        < html.index('data-name="组织考试场次"')
    )
    assert "相似项目“2023年事业单位面向社会公开招聘”使用" in html


def test_suggest_json_names_only_projects_the_user_may_see(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    query = {"project": "保障农民工工资专项经费", "format": "json"}  # like a project of seed 003 (other's)
    officer = json.loads(_client(users["officer"]).get(reverse("jixiao_library:suggest"), query).content)
    names = [s["name"] for s in officer["suggestions"]]
    assert {"农民工工资投诉案件数量", "案件处理率", "案件处理及时率", "查处问题整改反馈率"} <= set(names)
    first = officer["suggestions"][0]
    assert first["why"].startswith("其他部门的") and first["projects"] == []
    other = json.loads(_client(users["other"]).get(reverse("jixiao_library:suggest"), query).content)
    assert other["suggestions"][0]["why"] == "相似项目“保障农民工工资专项费用”使用"
    assert set(other["suggestions"][0]) >= {
        "name",
        "level1",
        "level2",
        "typical",
        "value",
        "unit",
        "direction",
        "usage",
    }


def test_suggest_filters_level2_and_excludes_names_already_in_the_form(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    query = {
        "project": "2024年事业单位公开招聘",
        "level2": "数量指标",
        "exclude": ["报考人数"],
        "format": "json",
    }
    answer = json.loads(_client(users["officer"]).get(reverse("jixiao_library:suggest"), query).content)
    names = [s["name"] for s in answer["suggestions"]]
    assert "考务人员人次" in names and "组织考试场次" in names
    assert "报考人数" not in names and "报名费" not in names


def test_suggest_without_a_project_says_what_to_do(
    library: tuple[Document, Document], users: dict[str, User]
) -> None:
    html = _client(users["officer"]).get(reverse("jixiao_library:suggest")).content.decode()
    assert "填写项目名称后" in html


def test_duplicates_endpoint(users: dict[str, User]) -> None:
    names = ["享受公益性岗位补贴人数", "社会公众或服务对象满意度", "服务对象满意度"]
    answer = json.loads(
        _client(users["officer"]).get(reverse("jixiao_library:duplicates"), {"name": names}).content
    )
    assert answer["pairs"] == [{"first": 1, "second": 2, "closeness": 1.0, "names": names[1:]}]


@pytest.mark.parametrize("name", ["list", "suggest"])
def test_login_and_a_role_are_required(name: str, users: dict[str, User], client: Client) -> None:
    url = reverse(f"jixiao_library:{name}")
    assert client.get(url).status_code == 302
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    refused = _client(nobody).get(url)
    assert refused.status_code == 403 and "尚未分配角色" in refused.content.decode()
