"""Numbers no department means, typed into the target editor's amount fields (task funds, budget
lines): the totals, the row check, saving, submitting and the downloads answer with a page and a
message, never a server error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from jixiao.web.targets.models import TargetDraft
from tests.web.targets.conftest import client_for, editor_fields

HOSTILE = ["9" * 200, "99999999999999999999999999999.99", "0." + "0" * 60 + "1", "1e999999", "NaN"]


@pytest.mark.parametrize("raw", HOSTILE)
def test_amounts(users: dict[str, User], project_draft: TargetDraft, raw: str) -> None:
    client = client_for(users["officer"])
    fields = editor_fields(project_draft)
    amounts = {name: raw for name in fields if name.endswith(("-amount", "-total", "-fiscal"))}
    amounts |= {"tasks-0-label": "任务1", "tasks-0-name": "招聘", "tasks-0-total": raw, "tasks-0-fiscal": raw}
    amounts |= {name: raw for name in fields if name == "h-budget"}
    assert amounts, sorted(fields)
    data = fields | amounts
    assert (
        client.post(f"/targets/{project_draft.pk}/totals/", data, HTTP_HX_REQUEST="true").status_code == 200
    )
    assert (
        client.post(f"/targets/{project_draft.pk}/check/0/", data, HTTP_HX_REQUEST="true").status_code == 200
    )
    saved = client.post(f"/targets/{project_draft.pk}/save/", data, follow=True)
    assert saved.status_code in (200, 400)
    if raw.isdigit():
        assert "位数过多：整数最多 14 位，小数最多 6 位" in saved.content.decode()
    submitted = client.post(f"/targets/{project_draft.pk}/save/", data | {"then": "submit"}, follow=True)
    assert submitted.status_code in (200, 400)
    for fmt in ("xlsx", "docx"):
        assert client.get(f"/targets/{project_draft.pk}/download/{fmt}/").status_code in (200, 400)
