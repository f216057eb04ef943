"""The notebooks run as JupyterLab runs them: the kernel's working directory is the notebook's own folder,
the parameters are the defaults. Defaults resolve through ``kofukin.model.paths``, here pointed with
KOFUKIN_ROOT at the test build (the tests never read a built tree of the checkout)."""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid

import jupytext
import papermill
import pytest
import requests
import websocket

from kofukin.model import paths

NOTEBOOKS = paths.ROOT / "notebooks"
CELL_TIMEOUT = 300                      # seconds a cell may take on a loaded machine


@pytest.fixture(scope="module")
def project(built, tmp_path_factory):
    """The test build as a whole project: its data, the scenarios and the default scenario's comparison table."""
    from kofukin.pages.scenario import build_comparison

    root = built["_dir"].parents[1]
    shutil.copytree(paths.SCENARIOS, root / "scenarios", dirs_exist_ok=True)
    where = paths.project(root)
    csv = root / "reports" / "scenarios" / "weight_first_insured.csv"
    build_comparison(str(root / "scenarios" / "weight_first_insured.yaml"), str(where["config"]), str(where["raw"]),
                     str(where["processed"] / "inputs"), str(csv), str(csv.with_suffix(".xlsx")))
    from kofukin.pages.committee import write_bundles              # the committee pages' bundles (doit committee_data)
    write_bundles(str(where["processed"]), str(where["raw"]), str(where["config"]))
    return root


def outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


# national.py and exploratory/getting_started.py run through the Jupyter server below; the exploratory
# notebooks from their folder in test_exploratory.py.
@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.py") if p.name != "national.py"))
def test_report_notebook_runs_with_its_defaults_from_its_folder(name, project, tmp_path, monkeypatch):
    monkeypatch.setenv("KOFUKIN_ROOT", str(project))
    nb = jupytext.read(NOTEBOOKS / name)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    before = sorted(p.name for p in NOTEBOOKS.iterdir())
    out = papermill.execute_notebook(nb, str(tmp_path / "out.ipynb"), kernel_name="python3", cwd=str(NOTEBOOKS),
                                     progress_bar=False)
    assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before
    assert not [o for o in outputs(out) if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs(out))
    assert "<table" in html


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A Jupyter server on 127.0.0.1 (random port and token) serving the checkout through jupytext."""

    def __init__(self, runtime, env):
        runtime.mkdir()
        self.log = open(runtime / "server.log", "w+b")
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
             "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}", "--ServerApp.open_browser=False",
             "--ServerApp.allow_root=True", f"--ServerApp.root_dir={paths.ROOT}", "--ServerApp.contents_manager_class=jupytext.TextFileContentsManager"],
            env={**env, "JUPYTER_RUNTIME_DIR": str(runtime)}, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {self.token}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.http.get(f"{self.url}/api/status", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"jupyter server did not start: {(runtime / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)

    def api(self, method, path, **kwargs):
        response = self.http.request(method, f"{self.url}/api/{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def run(self, path: str) -> list[dict]:
        """Open ``path`` as a notebook, start its kernel through the server, execute every code cell over the
        kernel's websocket; the messages each cell produced."""
        model = self.api("GET", f"contents/{path}", params={"type": "notebook", "content": 1})
        assert model["type"] == "notebook"
        session = self.api("POST", "sessions", json={"path": path, "type": "notebook", "name": path.split("/")[-1],
                                                       "kernel": {"name": "python3"}})
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/api/kernels/{session['kernel']['id']}/channels?session_id={session['id']}",
            header=[f"Authorization: token {self.token}"], timeout=CELL_TIMEOUT)
        try:
            return [self._execute(ws, session["id"], cell["source"])
                    for cell in model["content"]["cells"] if cell["cell_type"] == "code"]
        finally:
            ws.close()
            self.api("DELETE", f"sessions/{session['id']}")

    @staticmethod
    def _execute(ws, session: str, code: str) -> list[dict]:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                                       "username": "test", "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                        "allow_stdin": False, "stop_on_error": True}}))
        got, replied, idle = [], False, False
        while not (replied and idle):
            msg = json.loads(ws.recv())
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            got.append(msg)
            replied |= msg["msg_type"] == "execute_reply"
            idle |= msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
        return got

    def stop(self):
        try:
            self.http.post(f"{self.url}/api/shutdown", timeout=10)
        except requests.RequestException:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture
def server(project, tmp_path):
    s = Server(tmp_path / "runtime", {**os.environ, "KOFUKIN_ROOT": str(project)})
    yield s
    s.stop()


@pytest.mark.parametrize("path, shows", [
    ("notebooks/national.py", "全国平均（本データ）"),
    ("notebooks/exploratory/getting_started.py", "2019年度（比較: 2018年度）、合成データ: True"),
])
def test_notebook_runs_in_a_jupyter_server_kernel(server, path, shows):
    before = sorted(p.name for p in (paths.ROOT / path).parent.iterdir())
    cells = server.run(path)
    errors = [m["content"] for cell in cells for m in cell
              if m["msg_type"] == "error" or m["msg_type"] == "execute_reply" and m["content"]["status"] != "ok"]
    assert errors == []
    shown = json.dumps([m["content"] for cell in cells for m in cell if m["msg_type"] != "status"], ensure_ascii=False)
    stderr = "".join(m["content"]["text"] for cell in cells for m in cell
                     if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")
    assert shows in shown and "Glyph" not in stderr
    assert sorted(p.name for p in (paths.ROOT / path).parent.iterdir()) == before      # nothing written beside it
