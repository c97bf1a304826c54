"""Completeness: generated docs are current, every code used in the source is declared."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.checks import builtin_registry
from jixiao.checks.engine import INTERNAL_CODE
from jixiao.docs import DOCS, GENERATED
from jixiao.ingest.errors import READ_CODES
from jixiao.ingest.forms import form_codes
from jixiao.monitor.errors import MONITOR_CODES
from jixiao.render.errors import RENDER_CODES

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
CODE_IN_SOURCE = re.compile(r"""["']([RFATSCPXGM]\d{3})["']""")


def test_generated_docs_are_up_to_date() -> None:
    for name, build in GENERATED.items():
        committed = (DOCS / name).read_text(encoding="utf-8")
        assert committed == build(), f"docs/{name} is stale: run `make docs`"


def test_every_code_used_in_the_source_is_declared() -> None:
    declared = (
        set(READ_CODES)
        | set(form_codes())
        | set(RENDER_CODES)
        | set(MONITOR_CODES)
        | set(builtin_registry().codes())
        | {INTERNAL_CODE}
    )
    used = {code for path in SRC.rglob("*.py") for code in CODE_IN_SOURCE.findall(path.read_text("utf-8"))}
    assert used - declared == set()


def test_every_declared_code_is_documented() -> None:
    text = (DOCS / "codes.md").read_text(encoding="utf-8")
    for code in set(READ_CODES) | set(form_codes()) | set(RENDER_CODES) | set(MONITOR_CODES):
        assert f"`{code}`" in text


def test_every_rule_is_documented_with_title_explanation_and_example() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule in builtin_registry():
        assert f"### {rule.code}" in text
        assert rule.title.strip() and rule.explanation.strip() and rule.example.strip(), rule.code
    assert f"`{INTERNAL_CODE}`" in text


def test_read_and_rule_codes_do_not_collide() -> None:
    assert not set(builtin_registry().codes()) & (set(READ_CODES) | set(form_codes()) | set(RENDER_CODES))


def test_glossary_and_readme_name_the_two_setup_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert (DOCS / "glossary.md").exists()
