"""Read errors: the stable ``R`` codes for input that cannot be read, with Chinese messages.

A reader raises ``ReadError``; the loader turns it into one ``Finding`` and carries on with the
next file. The catalogue below is the single place codes are declared. ``R012``–``R014`` are notes
(info/warning) a reader attaches to a document it could read; the others stop the file.

>>> ReadError("R001", "a.xlsx").finding().message
'文件为空（0 字节）：a.xlsx'
"""

from __future__ import annotations

from jixiao.model.findings import Finding, Severity
from jixiao.model.loc import Loc

READ_CODES: dict[str, str] = {
    "R001": "文件为空（0 字节）",
    "R002": "不支持的文件格式",
    "R003": "文件内容与扩展名不符",
    "R004": "文件已损坏或不完整，无法读取",
    "R005": "文件已加密，需先解除密码保护",
    "R006": "PDF 没有文字层（可能是扫描件），需先做文字识别（OCR）",
    "R007": "文件过大",
    "R008": "压缩内容异常膨胀（疑似压缩炸弹），已拒绝读取",
    "R009": "文本编码无法识别",
    "R010": "文件不存在或无法打开",
    "R011": "文件中没有任何可读内容",
    "R012": "扩展名与实际内容不符，已按实际格式读取",
    "R013": "无法读取合并单元格信息，合并单元格按空白处理",
    "R014": "工作表已隐藏，其内容仍已读取",
    "R015": "某页无法读取，已跳过该页",
    "R016": "部分文字的字体缺少编码映射，无法识别，已略去",
    "R099": "读取时发生内部错误",
}


class ReadError(Exception):
    """An unreadable file. ``detail`` adds specifics (sheet, page, size) to the catalogue text."""

    def __init__(self, code: str, file: str, detail: str | None = None, loc: Loc | None = None) -> None:
        self.code = code
        self.file = file
        self.detail = detail
        self.loc = loc or Loc(file=file)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{READ_CODES[self.code]}：{self.file}"
        return f"{text}（{self.detail}）" if self.detail else text

    def finding(self) -> Finding:
        return Finding(code=self.code, severity=Severity.ERROR, message=self.message, locations=(self.loc,))


def read_note(
    code: str,
    file: str,
    detail: str | None = None,
    loc: Loc | None = None,
    severity: Severity = Severity.INFO,
) -> Finding:
    """A finding for a file that was read but deserves a remark (``R012``–``R014``)."""
    text = f"{READ_CODES[code]}：{file}"
    return Finding(
        code=code,
        severity=severity,
        message=f"{text}（{detail}）" if detail else text,
        locations=(loc or Loc(file=file),),
    )
