"""The red/yellow/green thresholds of mid-year monitoring, as data (``thresholds.toml``).

>>> load_thresholds().light(Decimal("52"))
<Light.RED: 'red'>
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_NAMES: dict[str, str] = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


class Thresholds(BaseModel):
    """Deviation (percent behind the expected progress) below ``green_below`` is green, below
    ``yellow_below`` yellow, else red; ``reason_required``: the colours that need a 偏差原因."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    green_below: Decimal = Field(gt=0)
    yellow_below: Decimal = Field(gt=0)
    reason_required: tuple[Light, ...] = (Light.YELLOW, Light.RED)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.yellow_below < self.green_below:
            raise ValueError("yellow_below 不能小于 green_below")
        return self

    def light(self, deviation: Decimal) -> Light:
        if deviation < self.green_below:
            return Light.GREEN
        if deviation < self.yellow_below:
            return Light.YELLOW
        return Light.RED

    def needs_reason(self, light: Light | None) -> bool:
        return light is not None and light in self.reason_required


@cache
def _default() -> Thresholds:
    text = resources.files("jixiao.monitor").joinpath("thresholds.toml").read_text(encoding="utf-8")
    return Thresholds.model_validate(tomllib.loads(text))


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The shipped thresholds, or a user's TOML file of the same keys."""
    if path is None:
        return _default()
    return Thresholds.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
