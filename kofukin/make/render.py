"""Turn a report notebook into a page: execute it in a shared kernel, export offline HTML."""

import asyncio
import copy
import hashlib
import json
import re
import shutil
import tempfile
import threading
import uuid
from functools import cache
from multiprocessing.util import Finalize
from pathlib import Path

import jupytext
import nbformat
from jupyter_client import AsyncKernelManager, BlockingKernelClient
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import default

from kofukin import __version__

from kofukin.model import paths
from kofukin.model.io import write_bytes_atomic
from kofukin.make.deps import shown_rows
from kofukin.report.css import CSS
from kofukin.model.vintage import notice, shown_synthetic

TEMPLATES = Path(__file__).parent / "templates"


_SOCKETS = tempfile.mkdtemp(prefix="kofukin-kernels-")
Finalize(None, shutil.rmtree, args=(_SOCKETS, True), exitpriority=1)   # at exit of this process or worker
QUIET = ["--IPKernelApp.log_level=CRITICAL"]


class _LocalKernelManager(AsyncKernelManager):
    """A kernel on local (IPC) sockets: no TCP ports for parallel builds to race for."""

    @default("transport")
    def _transport_default(self):
        return "ipc"

    @default("ip")
    def _ip_default(self):
        return str(Path(_SOCKETS) / uuid.uuid4().hex[:12])


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


_kernel: _LocalKernelManager | None = None


def _shared_kernel() -> _LocalKernelManager:
    """One kernel per build process, started once: imports are paid once, not per page."""
    global _kernel
    if _kernel is None:
        km = _LocalKernelManager(kernel_name="python3")
        asyncio.run(km.start_kernel(cwd=str(paths.ROOT), extra_arguments=QUIET))
        Finalize(None, _stop, args=(km,), exitpriority=10)
        _kernel = km
    return _kernel


def _stop(km: _LocalKernelManager) -> None:
    global _kernel, _kc
    if _kc is not None:
        _kc.stop_channels()
        _kc = None
    if km is not None and km.has_kernel:
        asyncio.run(km.shutdown_kernel(now=True))
    _kernel = None


class PageError(RuntimeError):
    """A notebook cell raised while a page was built: names the notebook, the cell and the exception."""


CELL_TIMEOUT = 600          # seconds a cell may run


def _client() -> BlockingKernelClient:
    """The shared kernel's client, connected once per build process (a client per page costs a handshake)."""
    global _kc
    with _connecting:                  # after ``prestart``'s imports were sent, never beside them
        km = _shared_kernel()
        if _kc is None:
            # a client of its manager: the kernel counts as alive while its process runs (a client without one
            # judges by a heartbeat of about a second, which a kernel still starting on a busy machine misses)
            kc = BlockingKernelClient(parent=km)
            kc.load_connection_info(km.get_connection_info())
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            _kc = kc
        return _kc


_kc: BlockingKernelClient | None = None
_connecting = threading.RLock()
WARM = "import kofukin.report, kofukin.report.charts, kofukin.report.display, kofukin.pages.national"


def prestart() -> None:
    """Start this process's kernel and its imports now, beside other work (doit's data step runs meanwhile): the
    first page then finds them ready instead of waiting 3–4 seconds. Pages share the kernel anyway, so a module
    imported early is the module they import."""
    if _kernel is not None:
        return
    _shared_kernel()

    def warm():
        with _connecting:
            _client().execute(WARM, store_history=False, allow_stdin=False)

    threading.Thread(target=warm, daemon=True).start()


def _run_cell(kc: BlockingKernelClient, source: str) -> list:
    """Execute one cell; its outputs as nbformat outputs (consecutive stream text joined, as nbclient does)."""
    msg_id = kc.execute(source, store_history=False, allow_stdin=False)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=CELL_TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind == "clear_output":
            outputs.clear()
        elif kind == "stream" and outputs and outputs[-1].get("name") == msg["content"]["name"]:
            outputs[-1]["text"] += msg["content"]["text"]
        elif kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append(nbformat.v4.output_from_msg(msg))
    while kc.get_shell_msg(timeout=CELL_TIMEOUT)["parent_header"].get("msg_id") != msg_id:
        pass
    return outputs


def _execute(source: Path, parameters: dict, executed: Path) -> nbformat.NotebookNode:
    """Run a percent-format notebook with ``parameters`` (injected by papermill's parameterize, as papermill
    does) in the process's shared kernel, its namespace cleared first; the executed copy goes to ``executed``.
    A cell that raises stops the page with a ``PageError``, and the kernel is restarted for the next page."""
    nb = parameterize_notebook(copy.deepcopy(_notebook(source, source.stat().st_mtime_ns)), parameters, kernel_name="python3")
    kc = _client()
    try:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs = _run_cell(kc, cell.source)
            error = next((o for o in cell.outputs if o.output_type == "error"), None)
            if error is not None:
                raise PageError(f"{source.name}, cell {i}: {error.ename}: {error.evalue}")
    except BaseException:
        _stop(_kernel)                  # a failed page never leaves its state to the next one
        raise
    executed.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(executed, nbformat.writes(nb).encode("utf-8"))
    return nb


# What ``%reset -f`` does to the namespace, without its two ``gc.collect()`` calls (55–117 ms a page in a kernel
# holding pandas; the interpreter's own collector still frees cycles): every name a page defined is removed,
# the kernel's own names (In, Out, get_ipython, …) restored as IPython's reset does.
RESET = "get_ipython().user_ns.clear(); get_ipython().user_ns_hidden.clear(); get_ipython().init_user_ns()"


@cache
def _notebook(source: Path, mtime_ns: int) -> nbformat.NotebookNode:
    """A percent-format notebook read once per build process (1,741 municipal pages share one source),
    with a first cell that clears the shared kernel's namespace."""
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
            index_href: str = "index.html", rows: str = "") -> str:
    """Offline HTML of an executed notebook: code hidden, our header and footer, the 合成データ ``notice``
    (what is synthetic on the page; none when empty).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 交付額")])
    >>> page = to_html(nb, "例", notice="2018年度の数値は合成データです。", inputs=[], data_label="例")
    >>> page.count("2018年度の数値は合成データです。"), "http" in page.split("<main")[1], "交付額<a" in page
    (2, False, True)
    """
    for i, cell in enumerate(nb.cells):      # papermill and jupytext give cells random ids: same page, same bytes
        cell["id"] = f"cell-{i}"
    meta = {"title": title, "synthetic": bool(notice), "notice": notice, "digest": digest(inputs, rows),
            "data": data_label, "version": __version__, "css": CSS, "index_href": index_href}
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


def build_page(source: str, parameters: dict, html: str, executed: str, title: str, flags: str,
               inputs: list[str], data_label: str, tables: dict[str, list[int]], years: list[int],
               index_href: str = "index.html", names: bool = True) -> None:
    """Execute ``source`` and write its HTML page (atomically), with the notice for the ``years`` it shows;
    its footer digest covers the ``inputs`` files and the rows of its ``tables`` of those years (municipal
    names only if it shows them, ``names``: the rows its task depends on).

    >>> from kofukin.make.pages import national_pages
    >>> page = national_pages(2019, 2018, 2025)[1]
    >>> params = {**page.parameters, "project_dir": str(processed.parents[1])}
    >>> build_page(str(page.source), params, str(tmp / "items.html"), str(tmp / "items.ipynb"), page.title, str(processed / "vintage.json"), [], "例", page.shows, page.years)
    >>> "評価指標" in (tmp / "items.html").read_text(encoding="utf-8")
    True
    """
    nb = _execute(Path(source), parameters, Path(executed))
    text = notice(synthetic_shown(flags, tables, years), years)
    rows = shown_rows(Path(flags).parent, tables, years, names) if tables else ""
    page = to_html(nb, title, notice=text, inputs=[Path(p) for p in inputs], data_label=data_label, rows=rows,
                   index_href=index_href)
    write_bytes_atomic(html, page.encode("utf-8"))
