"""The editor's fields and the new-draft form.

The editor is one HTML form: header fields are named ``h-<field>`` and rows ``<section>-<n>-<field>``
(``indicators-3-target``), so that any button (save, add a row, check a 指标值) posts the whole form
and the server rebuilds the same ``Rows`` (``rows_from_post``) whatever was typed since.

>>> from django.http import QueryDict
>>> rows = rows_from_post(QueryDict("h-title=示例&indicators-1-name=乙&indicators-0-name=甲"))
>>> [r["name"] for r in rows.sections["indicators"]], rows.header["title"]
(['甲', '乙'], '示例')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from django import forms

from jixiao.model.edit import SECTIONS, Rows
from jixiao.web.targets.models import Kind

_ROW_FIELD = re.compile(r"^(?P<section>[a-z]+)-(?P<index>\d{1,4})-(?P<field>[a-z0-9_]+)$")
_HEADER_FIELD = re.compile(r"^h-(?P<field>[a-z0-9_]+)$")
MAX_ROWS = 500


def rows_from_post(data: Mapping[str, str]) -> Rows:
    """The ``Rows`` the editor's fields carry (unknown names ignored, rows in index order)."""
    rows = Rows()
    found: dict[str, dict[int, dict[str, str]]] = {}
    for name, value in data.items():
        header = _HEADER_FIELD.match(name)
        if header:
            rows.header[header["field"]] = str(value)
            continue
        match = _ROW_FIELD.match(name)
        if (
            match is None
            or match["section"] not in SECTIONS
            or match["field"] not in SECTIONS[match["section"]]
        ):
            continue
        index = int(match["index"])
        if index >= MAX_ROWS:
            continue
        found.setdefault(match["section"], {}).setdefault(index, {})[match["field"]] = str(value)
    for section, by_index in found.items():
        rows.sections[section] = [
            {name: by_index[i].get(name, "") for name in SECTIONS[section]} for i in sorted(by_index)
        ]
    return rows


START_CHOICES = (
    ("blank", "空白表（标准指标框架）"),
    ("last_year", "上年度的申报表（本部门上年度已通过的表，或上年度草稿）"),
    ("source", "已上传的目标表"),
    ("file", "导入文件（xlsx、docx 等）"),
)


class NewDraftForm(forms.Form):
    kind = forms.ChoiceField(label="申报表类型", choices=Kind.choices, widget=forms.RadioSelect)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="项目名称 / 表名", max_length=200, required=False)
    start = forms.ChoiceField(
        label="从何开始", choices=START_CHOICES, widget=forms.RadioSelect, initial="blank"
    )
    source = forms.CharField(label="选择目标表", required=False)
    file = forms.FileField(label="文件", required=False)

    def __init__(self, *args: object, sources: list[tuple[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = date.today().year + 1
        self.fields["source"].widget = forms.Select(choices=[("", "请选择"), *(sources or [])])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start = data.get("start")
        if start == "source" and not data.get("source"):
            self.add_error("source", "请选择一张已上传的目标表")
        if start == "file" and not data.get("file"):
            self.add_error("file", "请选择要导入的文件")
        if data.get("kind") == Kind.PROJECT and start == "blank" and not (data.get("name") or "").strip():
            self.add_error("name", "请填写项目名称")
        return data
