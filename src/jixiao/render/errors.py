"""Render errors: the stable ``G`` codes (生成) for what cannot be generated, with Chinese messages.

>>> RenderError("G002", "a.json").message
'文件中没有可生成的表单：a.json'
"""

from __future__ import annotations

RENDER_CODES: dict[str, str] = {
    "G001": "本机没有安装中文字体，无法生成 PDF/图表（请安装 fonts-arphic-uming 或 fonts-wqy-zenhei）",
    "G002": "文件中没有可生成的表单",
    "G003": "JSON 文件不是 jixiao parse 的输出",
    "G004": "不支持的输出格式",
    "G005": "该表单不能生成为此格式",
}


class RenderError(Exception):
    """Something that cannot be generated; ``detail`` adds specifics to the catalogue text."""

    def __init__(self, code: str, subject: str = "", detail: str | None = None) -> None:
        self.code = code
        self.subject = subject
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = RENDER_CODES[self.code] + (f"：{self.subject}" if self.subject else "")
        return f"{text}（{self.detail}）" if self.detail else text
