"""Turn a report notebook into a page: execute it in the build process's IPython shell, export offline HTML."""

import base64
import copy
import hashlib
import io
import json
import re
import signal
import sys
import threading
import traceback
import types
from collections.abc import Sequence
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout
from functools import cache
from pathlib import Path

# jsonschema (which nbformat imports to read notebooks) imports rfc3987_syntax where it is installed, and that
# compiles some 38 Earley parsers as it loads: about 3 seconds of each build process's first page
# (python-jsonschema/jsonschema#1428). Reading notebooks never checks an IRI: jsonschema is imported without that
# one format checker (it skips it when the import fails), and rfc3987_syntax stays importable for anyone else.
if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]

import jupytext
import nbformat
import pandas as pd
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from kofukin import __version__

from kofukin.model import paths
from kofukin.model.io import write_bytes_atomic
from kofukin.make.deps import shown_rows
from kofukin.report.css import CSS
from kofukin.model.vintage import notice, real_inputs_shown, shown_synthetic

TEMPLATES = Path(__file__).parent / "templates"


def digest(files: list[Path], rows: str = "") -> str:
    r"""Short digest of the input files a page was built from and of the ``rows`` it shows (a
    ``deps.shown_rows`` digest): md5 of their md5s, first 12 hex.

    >>> _ = (tmp / "a.csv").write_text("x\n")
    >>> len(digest([tmp / "a.csv"])), digest([tmp / "a.csv"]) == digest([tmp / "a.csv"], "0f")
    (12, False)
    """
    h = hashlib.md5(rows.encode())
    for f in sorted(Path(p) for p in files):
        h.update(hashlib.md5(f.read_bytes()).digest())
    return h.hexdigest()[:12]


class PageError(RuntimeError):
    """A notebook cell raised while a page was built: names the notebook, the cell (its number in the source file
    and its first line), the exception and where in the page's code it was raised."""


# A cell running longer stops its page (a kernel client's timeout did this before pages ran in the build process).
CELL_TIMEOUT = 600


class CellTimeout(BaseException):
    """A cell ran over ``CELL_TIMEOUT``: a BaseException, so that no ``except Exception`` in a page or a library
    swallows it or takes it for its own error."""


class _Outputs(list):
    """The outputs of the cell running, as nbformat outputs in the order made; consecutive text of one stream
    joined."""

    def stream(self, name: str, text: str) -> None:
        if self and self[-1].get("output_type") == "stream" and self[-1]["name"] == name:
            self[-1]["text"] += text
        else:
            self.append(nbformat.v4.new_output("stream", name=name, text=text))


_outputs = _Outputs()


class _Publisher(DisplayPublisher):
    """``display(...)`` in a page: a display_data output, as a kernel would send it."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        _outputs.append(nbformat.v4.new_output("display_data", data=_json_safe(data), metadata=metadata or {}))

    def clear_output(self, wait=False) -> None:
        _outputs.clear()


class _Hook(DisplayHook):
    """A cell's last expression: an execute_result output, no prompt printed."""

    def start_displayhook(self) -> None:
        pass

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        _outputs.append(nbformat.v4.new_output("execute_result", data=_json_safe(format_dict), metadata=md_dict or {},
                                               execution_count=None))

    def finish_displayhook(self) -> None:
        pass

    def log_output(self, format_dict) -> None:
        pass            # IPython's history keeps every result otherwise, across the pages of a process


def _json_safe(data: dict) -> dict:
    """A mimebundle as a notebook stores it: binary images (a ``_repr_png_`` returns bytes) base64-encoded, as
    a kernel sends them.

    >>> _json_safe({"image/png": b"\\x89PNG", "text/plain": "x"})
    {'image/png': 'iVBORw==', 'text/plain': 'x'}
    """
    return {k: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for k, v in data.items()}


class _Stream(io.TextIOBase):
    """A cell's stdout or stderr, collected as stream outputs."""

    encoding = "utf-8"

    def __init__(self, name: str):
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        _outputs.stream(self.name, text)
        return len(text)


@cache
def _shell() -> InteractiveShell:
    """The IPython shell of this build process: pages run in the process itself, which doit forked after dodo.py
    imported kofukin, pandas and matplotlib — no kernel to start, no imports to pay again, no messages to pass."""
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.cache_size = 0         # no Out/_ cache: no page's result held for the next one
    return InteractiveShell(config=config, display_pub_class=_Publisher, displayhook_class=_Hook,
                            user_module=types.ModuleType("__kofukin_page__"))


# one page at a time in a process: the outputs, stdout, the working folder and the shell are the process's
_lock = threading.Lock()


@contextmanager
def _page_shell():
    """The page's shell as IPython's current one (``display`` publishes to it), its streams as stdout and stderr,
    pandas printing as in a kernel (20 columns, 80 characters wide; outside one pandas fits a table to the
    terminal); whatever was current before — the shell of a notebook that runs the build — comes back after, and
    no figure the page opened stays open (those of a notebook running the build do)."""
    import matplotlib.pyplot as plt

    shell = _shell()
    before, figures = InteractiveShell._instance, set(plt.get_fignums())
    InteractiveShell._instance = shell
    try:
        with redirect_stdout(_Stream("stdout")), redirect_stderr(_Stream("stderr")), \
                pd.option_context("display.max_columns", 20, "display.width", 80):
            yield shell
    finally:
        InteractiveShell._instance = before
        for number in set(plt.get_fignums()) - figures:
            plt.close(number)


@contextmanager
def _time_limit(seconds: int):
    """A ``CellTimeout`` in the cell once it has run ``seconds`` (where the process can set an alarm: the main
    thread, not Windows; between two bytecodes, so not inside one long C call)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise CellTimeout(f"the cell ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run_cell(shell: InteractiveShell, source: str) -> tuple[list, BaseException | None]:
    """Execute one cell; its outputs as nbformat outputs (an error output where it raised) and its exception."""
    _outputs.clear()
    with _time_limit(CELL_TIMEOUT):
        result = shell.run_cell(source, store_history=False)
    outputs = list(_outputs)
    error = result.error_before_exec or result.error_in_exec
    if error is not None:
        outputs.append(nbformat.v4.new_output("error", ename=type(error).__name__, evalue=str(error),
                                              traceback=_page_frames(error)))
    _outputs.clear()
    return outputs, error


def _page_frames(error: BaseException) -> list[str]:
    """The traceback of an exception raised in a page, less IPython's own frames."""
    import IPython

    ipython = str(Path(IPython.__file__).parent)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(ipython)]
    return traceback.format_list(frames) + traceback.format_exception_only(error)


def _execute(source: Path, parameters: dict, executed: Path) -> nbformat.NotebookNode:
    """Run a percent-format notebook with ``parameters`` (injected by papermill's parameterize, as papermill
    does) in this process's shell, its namespace cleared first, from the project's folder; the executed copy goes
    to ``executed``. A cell that raises (or runs over ``CELL_TIMEOUT``) stops the page with a ``PageError`` and
    nothing written."""
    nb = parameterize_notebook(copy.deepcopy(_notebook(source, source.stat().st_mtime_ns)), parameters, kernel_name="python3")
    with _lock, _page_shell() as shell, chdir(paths.ROOT):
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs, error = _run_cell(shell, cell.source)
            if isinstance(error, KeyboardInterrupt):
                raise error
            if error is not None:
                raise PageError(f"{source.name}, {_cell_name(nb, cell)}: {type(error).__name__}: {error}\n"
                                + "".join(cell.outputs[-1]["traceback"])) from error
    executed.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(executed, nbformat.writes(nb).encode("utf-8"))
    return nb


def _cell_name(nb: nbformat.NotebookNode, cell: nbformat.NotebookNode) -> str:
    """A cell as its author finds it in the percent-format file: its number there (the cells kofukin and
    papermill insert not counted) and its first line.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RESET, metadata={"tags": ["kofukin-reset"]}),
    ...                                      nbformat.v4.new_markdown_cell("# 見出し"), nbformat.v4.new_code_cell("x = 1\\ny")])
    >>> _cell_name(nb, nb.cells[2])
    "cell 2 of the file ('x = 1')"
    """
    tags = set(cell.metadata.get("tags", []))
    own = [c for c in nb.cells if not {"kofukin-reset", "injected-parameters"} & set(c.metadata.get("tags", []))]
    number = next((i for i, c in enumerate(own, 1) if c is cell), None)
    where = ("kofukin's reset cell" if "kofukin-reset" in tags else "papermill's parameters cell" if number is None
             else f"cell {number} of the file")
    return f"{where} ({cell.source.strip().splitlines()[0]!r})" if cell.source.strip() else where


# What ``%reset -f`` does to the namespace, without its two ``gc.collect()`` calls (55–117 ms a page holding
# pandas; the interpreter's own collector still frees cycles): every name a page defined is removed but
# __name__ and __builtins__, the shell's own names (In, Out, get_ipython, …) restored as IPython's reset does.
RESET = ("get_ipython().user_ns_hidden.clear(); [get_ipython().user_ns.pop(k) for k in list(get_ipython().user_ns) "
         "if k not in ('__name__', '__builtins__')]; get_ipython().init_user_ns()")


@cache
def _notebook(source: Path, mtime_ns: int) -> nbformat.NotebookNode:
    """A percent-format notebook read once per build process (1,741 municipal pages share one source),
    with a first cell that clears the shell's namespace (the pages before it ran in the same one)."""
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET, metadata={"tags": ["kofukin-reset"]}))
    return load_notebook_node(nb)        # papermill's loader: the metadata its parameterize expects


class _PageExporter(HTMLExporter):
    """nbconvert's HTML exporter less its BeautifulSoup pass, which re-parses every page to add image alt text
    (our template writes it) and a tabindex on each output (not wanted on static text): half the export time."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(parent=self))      # code cells are hidden
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def _exporter() -> HTMLExporter:
    # optimistic_validation: the notebook is validated once, not after each of nbconvert's preprocessors
    return _PageExporter(template_name="kofukin", extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
                         exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True,
                         optimistic_validation=True)


def to_html(nb: nbformat.NotebookNode, title: str, *, notice: str, inputs: list[Path], data_label: str,
            index_href: str = "index.html", rows: str = "", sources: Sequence[str] = ()) -> str:
    """Offline HTML of an executed notebook: code hidden, our header and footer, the 合成データ ``notice``
    (what is synthetic on the page; none when empty) and the ``sources`` its data come from (the footer's 出典).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 交付額")])
    >>> page = to_html(nb, "例", notice="2018年度の数値は合成データです。", inputs=[], data_label="例")
    >>> page.count("2018年度の数値は合成データです。"), "http" in page.split("<main")[1], "交付額<a" in page
    (2, False, True)
    >>> "<p>出典: 甲「乙 &lt;丙&gt;」、丁。</p>" in to_html(nb, "例", notice="", inputs=[], data_label="例", sources=["甲「乙 <丙>」", "丁"])
    True
    """
    for i, cell in enumerate(nb.cells):      # papermill and jupytext give cells random ids: same page, same bytes
        cell["id"] = f"cell-{i}"
    meta = {"title": title, "synthetic": bool(notice), "notice": notice, "digest": digest(inputs, rows),
            "data": data_label, "version": __version__, "css": CSS, "index_href": index_href,
            "sources": list(sources)}
    body, _ = _exporter().from_notebook_node(nb, resources={"kofukin": meta})
    return _NUMERIC_REF.sub(_literal, body)


# nbconvert writes markdown headings with ElementTree in ASCII (見出し → &#35211;&#20986;&#12375;): the page's
# text is literal UTF-8, as readers, search and diffs expect; only non-ASCII references (never markup) are undone.
_NUMERIC_REF = re.compile(r"&#(\d{3,7});")


def _literal(ref: re.Match) -> str:
    code = int(ref[1])
    return chr(code) if 127 < code < 0x110000 else ref[0]


def synthetic_shown(flags: Path | str, tables: list[str] | dict[str, list[int]], years: list[int] | tuple[int, ...]) -> list[int]:
    """The ``years`` a page shows whose figures are synthetic: by its ``tables`` (or ``Page.shows``) in
    vintage.json, or by a profile bundle's ``synthetic_years``.

    >>> synthetic_shown(processed / "vintage.json", ["prefecture_scores"], [2019]), synthetic_shown(processed / "vintage.json", ["budget_frame"], [2019])
    ([2019], [])
    >>> synthetic_shown(processed / "profiles" / "13.json", [], [2018, 2019])
    [2018, 2019]
    """
    data = json.loads(Path(flags).read_text(encoding="utf-8"))
    if "synthetic_years" in data:
        return sorted(set(data["synthetic_years"]) & set(years))
    return shown_synthetic(data["synthetic"], tables, years)


def _real_inputs_note(flags: Path, tables: list[str] | dict[str, list[int]], years: list[int]) -> str:
    """What a page's notice adds for the inputs given as they were (``REAL_INPUTS``: the requests) it shows real beside
    synthetic amounts: from the processed tables beside vintage.json, or as a profile's bundle states it."""
    data = json.loads(flags.read_text(encoding="utf-8"))
    if "synthetic_years" in data:
        return data.get("real_inputs_note", "")
    return real_inputs_shown(flags.parent, tables if isinstance(tables, dict) else dict.fromkeys(tables, years), data["synthetic"])


def build_page(source: str, parameters: dict, html: str, executed: str, title: str, flags: str,
               inputs: list[str], data_label: str, tables: dict[str, list[int]], years: list[int],
               index_href: str = "index.html", names: bool = True, sources: Sequence[str] = ()) -> None:
    """Execute ``source`` and write its HTML page (atomically), with the notice for the ``years`` it shows;
    its footer digest covers the ``inputs`` files and the rows of its ``tables`` of those years (municipal
    names only if it shows them, ``names``: the rows its task depends on) and cites its ``sources``.

    >>> from kofukin.make.pages import national_pages
    >>> page = national_pages(2019, 2018, 2025)[1]
    >>> params = {**page.parameters, "project_dir": str(processed.parents[1])}
    >>> build_page(str(page.source), params, str(tmp / "items.html"), str(tmp / "items.ipynb"), page.title, str(processed / "vintage.json"), [], "例", page.shows, page.years)
    >>> "評価指標" in (tmp / "items.html").read_text(encoding="utf-8")
    True
    """
    nb = _execute(Path(source), parameters, Path(executed))
    synthetic = synthetic_shown(flags, tables, years)
    text = notice(synthetic, years) + _real_inputs_note(Path(flags), tables, years)
    rows = shown_rows(Path(flags).parent, tables, years, names) if tables else ""
    page = to_html(nb, title, notice=text, inputs=[Path(p) for p in inputs], data_label=data_label, rows=rows,
                   index_href=index_href, sources=sources)
    write_bytes_atomic(html, page.encode("utf-8"))
