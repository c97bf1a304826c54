"""Command line: ``jixiao parse`` (typed model as JSON) and ``jixiao inspect`` (a readable tree).

A thin shell over ``jixiao.ingest.load``. Exit codes: 0 all files read, 2 usage errors or any
unreadable file (the other files are still read and printed).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.tree import Tree

from jixiao import __version__
from jixiao.checks.engine import INTERNAL_CODE, Selection, audit_files
from jixiao.checks.report import AuditReport
from jixiao.ingest.load import load_file, parse_file
from jixiao.model.declaration import ProjectTargetSummary
from jixiao.model.disclosure import Disclosure
from jixiao.model.document import Form, ParsedDocument
from jixiao.model.findings import Severity
from jixiao.model.indicators import Indicator
from jixiao.model.money import parse_amount
from jixiao.summary import KIND_NAMES, form_summary

app = typer.Typer(
    help="Jixiao 绩效：读取、审核、评分和生成预算绩效管理文件。",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
)

#: Show a progress bar from this many files on.
PROGRESS_FROM = 4

SCHEMA_VERSION = 1


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


def _parse_all(files: list[Path], console: Console) -> Iterator[ParsedDocument]:
    if len(files) < PROGRESS_FROM:
        for f in files:
            yield parse_file(f)
        return
    columns = (
        TextColumn("读取"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=len(files))
        for f in files:
            progress.update(task, description=f.name)
            yield parse_file(f)
            progress.advance(task)


def _exit_code(documents: list[ParsedDocument]) -> int:
    return 0 if all(d.readable for d in documents) else 2


def documents_json(documents: list[ParsedDocument]) -> str:
    """The stable JSON shape of ``jixiao parse`` (docs/schema.md)."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"jixiao {__version__}",
        "documents": [d.model_dump(mode="json") for d in documents],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="要读取的文件（txt/md、xlsx、xls、docx、pdf、html）")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式")] = OutputFormat.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出")] = None,
) -> None:
    """读取文件，输出类型化模型（JSON）。"""
    err = Console(stderr=True)
    documents = list(_parse_all(files, err))
    text = documents_json(documents) if format is OutputFormat.json else _text_report(documents)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    _report_unreadable(documents, err)
    raise typer.Exit(_exit_code(documents))


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(help="要查看的文件")],
    full: Annotated[bool, typer.Option("--full", help="展开全部指标、任务和表格行")] = False,
) -> None:
    """以树形结构显示从文件中读到的内容。"""
    console = Console()
    documents = list(_parse_all(files, Console(stderr=True)))
    for doc in documents:
        console.print(document_tree(doc, full=full))
    ok = sum(1 for d in documents if d.readable)
    console.print(f"\n共 {len(documents)} 个文件，成功读取 {ok} 个，无法读取 {len(documents) - ok} 个。")
    raise typer.Exit(_exit_code(documents))


def document_tree(doc: ParsedDocument, full: bool = False) -> Tree:
    style = "bold" if doc.readable else "bold red"
    tree = Tree(f"[{style}]{escape(doc.file)}[/] [dim]{doc.format or '?'} · {KIND_NAMES[doc.kind]}[/]")
    for form in doc.forms:
        lines = form_summary(form)
        branch = tree.add(escape(lines[0]))
        for line in lines[1:]:
            branch.add(escape(line))
        if full:
            _add_details(branch, form)
    if doc.findings:
        shown = tree.add(f"发现 {len(doc.findings)} 条")
        for finding in doc.findings[:20]:
            color = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}[
                finding.severity
            ]
            shown.add(f"[{color}]{finding.code}[/] {escape(finding.message)}")
        if len(doc.findings) > 20:
            shown.add(f"…… 另有 {len(doc.findings) - 20} 条")
    return tree


def _add_details(branch: Tree, form: Form) -> None:
    """The full content: tasks, the indicator tree by 一级/二级, table rows."""
    if isinstance(form, Disclosure):
        for table in form.tables:
            node = branch.add(escape(f"{table.title}（{table.unit or '单位未注明'}）"))
            for row in table.rows:
                amounts = "，".join(f"{k} {v:,}" for k, v in row.values.items() if v is not None)
                node.add(escape(f"{row.code or ''} {row.name}：{amounts}".strip()))
        annexes: list[Form] = [*form.dept_targets, *form.project_targets, *form.project_summaries]
        for annex in annexes:
            _add_details(branch.add(escape(form_summary(annex)[0])), annex)
        return
    tasks = getattr(form, "tasks", [])
    if tasks:
        node = branch.add("主要任务")
        for task in tasks:
            money = f"：合计 {task.total} {task.unit}" if task.total is not None else ""
            node.add(escape(f"{task.label or ''} {task.name}{money}".strip()))
    indicators: list[Indicator] = list(getattr(form, "indicators", []))
    if isinstance(form, ProjectTargetSummary):
        for project in form.rows:
            if project.indicators:
                _indicator_tree(
                    branch.add(escape(f"{project.code or ''} {project.name}")), project.indicators
                )
        return
    if indicators:
        _indicator_tree(branch.add("指标体系"), indicators)


def _indicator_tree(node: Tree, indicators: list[Indicator]) -> None:
    levels: dict[str, dict[str, list[Indicator]]] = {}
    for ind in indicators:
        levels.setdefault(ind.level1 or "（无一级）", {}).setdefault(ind.level2 or "（无二级）", []).append(
            ind
        )
    for level1, level2s in levels.items():
        one = node.add(escape(level1))
        for level2, rows in level2s.items():
            two = one.add(escape(level2))
            for ind in rows:
                text = f"{ind.name}：{ind.target.raw or '（空）'}"
                if ind.actual_raw is not None:
                    text += f" → 实际 {ind.actual_raw}"
                if ind.weight is not None:
                    text += f"（分值 {ind.weight}，得分 {ind.score if ind.score is not None else '—'}）"
                two.add(escape(text))


def _text_report(documents: list[ParsedDocument]) -> str:
    lines = []
    for doc in documents:
        lines.append(f"{doc.file}: {KIND_NAMES[doc.kind]}")
        for form in doc.forms:
            lines.extend("  " + line for line in form_summary(form))
        lines.extend(f.label() for f in doc.findings)
    return "\n".join(lines)


def _report_unreadable(documents: list[ParsedDocument], err: Console) -> None:
    for doc in documents:
        for finding in doc.findings:
            if finding.code.startswith("R") and finding.severity is Severity.ERROR:
                err.print(f"[red]{finding.code}[/] {escape(finding.message)}", highlight=False)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"


def _codes_option(values: list[str] | None) -> tuple[str, ...]:
    """``--select A,T101 --select C`` → ('A', 'T101', 'C')."""
    return tuple(part.strip().upper() for value in values or [] for part in value.split(",") if part.strip())


def _unknown_patterns(patterns: tuple[str, ...], known: set[str]) -> list[str]:
    return [p for p in patterns if not any(code.startswith(p) for code in known)]


#: What ``jixiao check DIR`` picks up in a folder (and its subfolders).
FOLDER_SUFFIXES = (".txt", ".md", ".markdown", ".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".html", ".htm")


def expand_folders(paths: list[Path]) -> list[Path]:
    """Files as given; a folder becomes the documents in it and its subfolders (sorted, hidden
    files and folders skipped)."""
    expanded: list[Path] = []
    for path in paths:
        if not path.is_dir():
            expanded.append(path)
            continue
        found = [
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in FOLDER_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        expanded.extend(sorted(found))
    return expanded


@app.command()
def check(
    files: Annotated[
        list[Path],
        typer.Argument(help="要审核的文件或文件夹（txt/md、xlsx、xls、docx、pdf、html；文件夹含子文件夹）"),
    ],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="输出格式")] = CheckFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出")] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="只报告这些代码或类别（如 A,T101），可重复")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="不报告这些代码或类别，可重复")] = None,
    fail_on: Annotated[
        Severity, typer.Option("--fail-on", help="有此级别或更严重的发现时退出码为 1")
    ] = Severity.ERROR,
    annotate: Annotated[
        Path | None, typer.Option("--annotate", help="把每个文件的标注副本写入此文件夹")
    ] = None,
    show_rules: Annotated[bool, typer.Option("--rules", help="文本输出中列出每个文件的规则执行情况")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行处理的进程数（0 = CPU 核数）", min=0)] = 1,
) -> None:
    """审核文件：逐条列出发现的问题及其位置。退出码：0 无问题，1 有问题，2 用法错误或文件无法读取。"""
    from jixiao.checks import builtin_registry
    from jixiao.ingest.errors import READ_CODES
    from jixiao.ingest.forms import form_codes

    err = Console(stderr=True)
    registry = builtin_registry()
    chosen, skipped = _codes_option(select), _codes_option(ignore)
    known = {*registry.codes(), *READ_CODES, *form_codes(), INTERNAL_CODE}
    unknown = _unknown_patterns(chosen + skipped, known)
    if unknown:
        err.print(f"[red]未知的代码或类别：{escape('、'.join(unknown))}[/]（代码见 docs/rules.md）")
        raise typer.Exit(2)
    if format is CheckFormat.xlsx and output is None:
        err.print("[red]xlsx 格式需要用 -o 指定输出文件[/]")
        raise typer.Exit(2)
    selection = Selection(select=chosen, ignore=skipped)
    folders = [path for path in files if path.is_dir()]
    files = expand_folders(files)
    if not files:
        err.print(f"[red]文件夹中没有可审核的文件：{escape('、'.join(str(f) for f in folders))}[/]")
        raise typer.Exit(2)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            err.print(
                f"[red]无法创建输出文件夹 {escape(str(output.parent))}：{escape(exc.strerror or str(exc))}[/]"
            )
            raise typer.Exit(2) from exc
    report = _audit_with_progress(files, selection, err, jobs or os.cpu_count() or 1)
    if format is CheckFormat.xlsx:
        from jixiao.report.xlsx import render_xlsx

        assert output is not None
        output.write_bytes(render_xlsx(report, registry))
    else:
        if format is CheckFormat.json:
            text = report.to_json()
        elif format is CheckFormat.html:
            from jixiao.report.html import render_html

            text = render_html(report, registry)
        else:
            from jixiao.report.text import render_text

            text = render_text(report, show_rules=show_rules)
        if output is not None:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
    if annotate is not None:
        _annotate_all(report, files, annotate, err)
    if report.stats.unreadable:
        if folders:
            err.print(
                f"{report.stats.unreadable} 个文件无法读取（其余 {len(files) - report.stats.unreadable} 个已审核）："
            )
            for document in report.documents:
                for finding in document.findings:
                    if finding.code.startswith("R") and finding.severity is Severity.ERROR:
                        err.print(f"[red]{finding.code}[/] {escape(finding.message)}", highlight=False)
        raise typer.Exit(2)
    raise typer.Exit(1 if report.at_or_above(fail_on) else 0)


def _audit_with_progress(files: list[Path], selection: Selection, err: Console, jobs: int) -> AuditReport:
    if len(files) < PROGRESS_FROM:
        return audit_files(files, selection=selection, jobs=jobs)
    columns = (
        TextColumn("审核"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=len(files))

        def advance(document: ParsedDocument) -> None:
            progress.update(task, description=document.file)
            progress.advance(task)

        return audit_files(files, selection=selection, on_parsed=advance, jobs=jobs)


def _annotate_all(report: AuditReport, files: list[Path], folder: Path, err: Console) -> None:
    from jixiao.report.annotate import annotate as annotate_one

    folder.mkdir(parents=True, exist_ok=True)
    names = [path.name for path in files]
    for index, (document, path) in enumerate(zip(report.documents, files, strict=True), start=1):
        # two inputs with one name (from different folders) get one subfolder each
        target = folder / str(index) if names.count(path.name) > 1 else folder
        target.mkdir(parents=True, exist_ok=True)
        written = annotate_one(document, path, target)
        if written is not None:
            err.print(f"标注副本：{escape(str(written))}", highlight=False)


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"


def _choices(values: list[str] | None, err: Console) -> dict[str, Decimal]:
    """``--choose 长效管理制度=9`` → {'长效管理制度': Decimal('9')}."""
    chosen: dict[str, Decimal] = {}
    for value in values or []:
        name, _, points = value.partition("=")
        amount = parse_amount(points)
        if not name.strip() or amount is None:
            err.print(f"[red]--choose 应写成“指标名称=得分”，收到 {escape(value)}[/]")
            raise typer.Exit(2)
        chosen[name.strip()] = amount
    return chosen


@app.command()
def score(
    file: Annotated[Path, typer.Argument(help="绩效自评表 / 自评报告")],
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            "-r",
            help="评分规则：内置名称（见 jixiao rulesets）或 .toml 文件路径；默认按自评表注释选择",
        ),
    ] = None,
    format: Annotated[ScoreFormat, typer.Option("--format", "-f", help="输出格式")] = ScoreFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件而不是标准输出")] = None,
    choose: Annotated[
        list[str] | None, typer.Option("--choose", help="定性指标在档内的取值：指标名称=得分，可重复")
    ] = None,
) -> None:
    """按评分规则重算自评得分，逐行给出计算过程，并指出与规则不符之处。退出码：0 无错误，1 有错误，2 无法评分。"""
    from jixiao.report.score import render_sheets, score_document
    from jixiao.scoring import RulesetError, load_ruleset

    err = Console(stderr=True)
    chosen = _choices(choose, err)
    try:
        rules = load_ruleset(ruleset) if ruleset else None
    except RulesetError as exc:
        err.print(f"[red]{escape(exc.message)}[/]")
        raise typer.Exit(2) from exc
    document, source = load_file(file)
    _report_unreadable([document], err)
    if not document.readable:
        raise typer.Exit(2)
    sheets = score_document(document, source, rules, chosen)
    if not sheets:
        err.print(f"[red]{escape(document.file)} 中没有识别出绩效自评表，无法评分[/]")
        raise typer.Exit(2)
    text = render_sheets(sheets, format.value)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    errors = any(f.severity is Severity.ERROR for sheet in sheets for f in sheet.findings)
    raise typer.Exit(1 if errors else 0)


@app.command()
def rulesets() -> None:
    """列出内置的评分规则。"""
    from jixiao.scoring import builtin_rulesets

    console = Console()
    for item in builtin_rulesets():
        levels = "、".join(f"{level.name} {level.weight}" for level in item.levels)
        budget = (
            f"{item.budget_execution.label} {item.budget_execution.weight}、" if item.budget_execution else ""
        )
        console.print(
            f"[bold]{escape(item.name)}[/] {escape(item.title)}：{escape(budget + levels)}", highlight=False
        )


class RenderFormat(StrEnum):
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"
    html = "html"


@app.command()
def render(
    input: Annotated[Path, typer.Argument(help="任一可读取的文件，或 jixiao parse 输出的 JSON")],
    to: Annotated[RenderFormat, typer.Option("--to", "-t", help="生成格式")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="输出文件（多个文件时为目录）；默认在当前目录，与输入同名"),
    ] = None,
) -> None:
    """由表单数据生成标准表样和报告：申报表、自评表（含重算得分）、自评报告、预算公开。退出码：0 成功，2 无法生成。"""
    from jixiao.render import RenderError, read_input
    from jixiao.render import render as render_bytes

    err = Console(stderr=True)
    try:
        documents = read_input(input)
    except RenderError as exc:
        err.print(f"[red]{exc.code} {escape(exc.message)}[/]")
        raise typer.Exit(2) from exc
    _report_unreadable(documents, err)
    if len(documents) > 1 and output is not None and output.suffix:
        err.print(f"[red]{len(documents)} 个文件需要输出到目录，而不是文件：{escape(str(output))}[/]")
        raise typer.Exit(2)
    failed = False
    for document in documents:
        if not document.readable:
            failed = True
            continue
        stem = Path(document.file).stem
        if output is None:
            target = Path(f"{stem}.{to.value}")
        elif len(documents) > 1 or output.is_dir():
            target = output / f"{stem}.{to.value}"
        else:
            target = output
        if target.resolve() == input.resolve():
            err.print(f"[red]输出文件不能覆盖输入文件：{escape(str(target))}[/]")
            raise typer.Exit(2)
        try:
            data = render_bytes(document, to.value)
        except RenderError as exc:
            err.print(f"[red]{exc.code} {escape(exc.message)}[/]")
            failed = True
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        err.print(f"已生成：{escape(str(target))}（{len(data):,} 字节）", highlight=False)
    raise typer.Exit(2 if failed else 0)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址；其他电脑访问时用 0.0.0.0")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="端口")] = 8000,
    threads: Annotated[int, typer.Option("--threads", help="处理请求的线程数", min=1)] = 4,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="工作进程数（仅 Linux/Unix；双核服务器可用 2）", min=1)
    ] = 1,
) -> None:
    """启动网页版（先自动更新数据库）。数据保存在环境变量 JIXIAO_DATA 指定的目录（默认 ./.jixiao）。"""
    from jixiao.web.server import prepare
    from jixiao.web.server import serve as run_server

    prepare()
    try:
        run_server(host, port, threads, workers=workers)
    except KeyboardInterrupt:
        pass  # waitress usually handles Ctrl+C itself and returns
    except OSError as exc:
        Console(stderr=True).print(f"[red]无法在 {escape(host)}:{port} 启动：{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc
    typer.echo("Jixiao 已停止。")


@app.command()
def worker(
    processes: Annotated[int, typer.Option("--processes", "-n", help="启动的工作进程数", min=1)] = 1,
    interval: Annotated[float, typer.Option("--interval", help="队列为空时每隔几秒查看一次", min=0)] = 1.0,
    batch: Annotated[bool, typer.Option("--batch", help="处理完队列中的任务后退出")] = False,
    migrate: Annotated[bool, typer.Option("--migrate/--no-migrate", help="启动前自动更新数据库")] = True,
    max_tasks: Annotated[
        int,
        typer.Option(
            "--max-tasks",
            help="每个工作进程处理这么多个文件后换一个新进程，内存不随批次增长（0 = 不换）",
            min=0,
        ),
    ] = 0,
    child: Annotated[bool, typer.Option("--child", hidden=True)] = False,
) -> None:
    """启动后台工作进程，处理网页版的批量导入任务（先自动更新数据库）。多台电脑可共用一个 PostgreSQL 数据库各自运行。"""
    from jixiao.web.server import prepare

    if migrate:
        prepare()
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
        import django

        django.setup()
    from jixiao.web.batches.worker import run as run_workers

    if processes > 1 and not child:
        typer.echo(f"启动 {processes} 个工作进程（按 Ctrl+C 停止）")
    raise typer.Exit(run_workers(processes, interval, batch, max_tasks, child))


@app.command()
def demo(
    files: Annotated[
        list[Path] | None, typer.Argument(help="要载入的文件；默认为示例文件（与 make run 相同）")
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="演示账号的密码（默认 jixiao-demo）")
    ] = None,
) -> None:
    """载入示例文件，创建演示部门和各角色的演示账号（可重复运行，不会重复载入）。退出码：0 全部载入，1 有文件未载入，2 无法运行。"""
    from jixiao.web.server import prepare

    prepare()
    from jixiao.web.demo import DemoDocument, DemoError, default_sample_paths, load_demo

    err = Console(stderr=True)
    paths = list(files) if files else default_sample_paths()
    if not paths:
        err.print("[red]没有找到示例文件，请在命令后列出要载入的文件[/]")
        raise typer.Exit(2)

    def shown(item: DemoDocument) -> str:
        if item.error:
            return f"  [未载入] {item.file}：{item.error}"
        mark = "新增" if item.added else "已有"
        return f"  [{mark}] {item.file} → {item.department} · {item.kind} · {item.status}"

    typer.echo(f"载入 {len(paths)} 个文件（PDF 每个需要几秒）：")
    try:
        result = load_demo(paths, password, progress=lambda item: typer.echo(shown(item)))
    except DemoError as exc:
        err.print(f"[red]{escape(exc.reason)}[/]")
        raise typer.Exit(2) from exc
    typer.echo(
        f"新建部门 {result.departments_created} 个，新建账号 {result.users_created} 个，"
        f"新增文件 {result.documents_added} 个，提交审核 {result.documents_submitted} 个。"
    )
    typer.echo("演示账号（账号 / 角色 / 部门 / 密码）：")
    for account in result.accounts:
        secret = result.password if account.password_works else "（已有账号，密码未更改）"
        department = account.department or "全部部门"
        typer.echo(f"  {account.username}\t{account.role}\t{department}\t{secret}")
    typer.echo("启动网页版：jixiao serve")
    failed = any(item.error for item in result.documents)
    raise typer.Exit(1 if failed else 0)


@app.command()
def version() -> None:
    """显示版本号。"""
    typer.echo(f"jixiao {__version__}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
