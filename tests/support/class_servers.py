"""Real servers for the class tests and benchmarks, started on loopback: PostgreSQL, system users, JupyterHub.

Nothing here is mocked: PostgreSQL is Debian's server started as its own system user
``postgres`` on 127.0.0.1, the users are real system accounts with passwords (PAM), and the
hub is JupyterHub from the project's venv with configurable-http-proxy from npm, spawning
each user's server as that user from the single-user environment (deploy/singleuser_env.py).
Used by tests/test_class_e2e.py and benchmarks/class_throughput.py.
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from support.processes import free_port, stop_process, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
#: where the single-user environment is kept between runs (built by deploy/singleuser_env.py)
SINGLEUSER_DEFAULT = "/opt/rnncourse/singleuser"
#: configurable-http-proxy, installed from npm by `make class-deps`
PROXY = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def world_readable_tmpdir(prefix: str) -> Path:
    """A new folder under /tmp that other system users can traverse (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


def as_user(name: str, cmd: list[str], cwd: str | Path | None = None, env: dict | None = None,
            check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``cmd`` as system user ``name`` (from root), with only ``env`` plus HOME/USER/LOGNAME."""
    pw = pwd.getpwnam(name)
    full_env = {"HOME": pw.pw_dir, "USER": name, "LOGNAME": name, "LANG": "C.UTF-8",
                "PATH": "/usr/local/bin:/usr/bin:/bin", **(env or {})}
    proc = subprocess.run(cmd, cwd=cwd or pw.pw_dir, env=full_env, user=pw.pw_uid, group=pw.pw_gid,
                          extra_groups=[], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{cmd} as {name} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


# ---------------------------------------------------------------------------------------------
# system users
# ---------------------------------------------------------------------------------------------

def create_user(name: str, home: Path, password: str) -> None:
    """A system user with a private home (0700) and a password (PAM checks it at the hub's login)."""
    if _user_exists(name):
        delete_user(name)
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                    "--user-group", name], check=True, capture_output=True)
    home.chmod(0o700)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True)


def delete_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)   # this user's processes only
    subprocess.run(["userdel", "--remove", name], capture_output=True)
    subprocess.run(["groupdel", name], capture_output=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

def postgres_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """Debian's PostgreSQL server in a fresh data directory, run as the system user ``postgres``.

    It listens on 127.0.0.1 only (a free port) and on a Unix socket in the data directory;
    TCP logins need a password (scram-sha-256). ``create_database(owner, password)`` makes a
    role and a database it owns and returns the SQLAlchemy URL.
    """

    def __init__(self, base: Path):
        self.bindir = postgres_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                               "`apt-get install postgresql` (.ci/run does it)")
        self.base = Path(base)
        self.data = self.base / "pgdata"
        self.sock = self.base / "pgsock"
        self.port = free_port()
        self.proc = None

    def _pg(self, *cmd, check=True):
        return as_user("postgres", [str(self.bindir / cmd[0]), *cmd[1:]], cwd="/", check=check)

    def start(self) -> "PostgresServer":
        pw = pwd.getpwnam("postgres")
        for d in (self.data, self.sock):
            d.mkdir(parents=True, exist_ok=True)
            os.chown(d, pw.pw_uid, pw.pw_gid)
            d.chmod(0o700 if d == self.data else 0o755)
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth-local=peer",
                 "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C")
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "60",
                 "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.sock} "
                       "-c fsync=off -c max_connections=50", "start")
        wait_for_port(self.port, what="PostgreSQL")
        return self

    def psql(self, sql: str, db: str = "postgres") -> str:
        return self._pg("psql", "-h", str(self.sock), "-p", str(self.port), "-d", db, "-v", "ON_ERROR_STOP=1",
                        "-tAc", sql).stdout

    def create_database(self, name: str, owner: str, password: str) -> str:
        self.psql(f"CREATE ROLE \"{owner}\" LOGIN PASSWORD '{password}'")
        self.psql(f"CREATE DATABASE \"{name}\" OWNER \"{owner}\"")
        return f"postgresql://{owner}:{password}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.data.is_dir():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------------------------
# the single-user environment and the proxy
# ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def singleuser_env(prefix: str | None = None):
    """Build or update the single-user environment (deploy/singleuser_env.py) and hold it locked.

    Kept between runs at $RNNCOURSE_SINGLEUSER or /opt/rnncourse/singleuser (the requirements
    are reinstalled only when they change; the course package every time). The lock keeps a
    second class test on the same machine from reinstalling it under a running hub.
    """
    import fcntl

    prefix = Path(prefix or os.environ.get("RNNCOURSE_SINGLEUSER", SINGLEUSER_DEFAULT))
    prefix.parent.mkdir(parents=True, exist_ok=True)
    for parent in [prefix.parent, *prefix.parent.parents]:
        if parent.stat().st_mode & 0o005 != 0o005:
            raise PermissionError(f"RNNCOURSE_SINGLEUSER: {parent} is not readable by other users")
    with open(str(prefix) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run([sys.executable, str(ROOT / "deploy" / "singleuser_env.py"), str(prefix)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"building the single-user environment failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        yield prefix


# ---------------------------------------------------------------------------------------------
# JupyterHub
# ---------------------------------------------------------------------------------------------

class Hub:
    """JupyterHub with deploy/jupyterhub_config.py, as root, on 127.0.0.1 (free ports)."""

    def __init__(self, state: Path, env: dict):
        self.state = Path(state)
        self.port = free_port()
        self.env = dict(os.environ, **env,
                        RNNCOURSE_HUB_STATE=str(self.state), RNNCOURSE_HUB_IP="127.0.0.1",
                        RNNCOURSE_HUB_PORT=str(self.port), RNNCOURSE_HUB_API_PORT=str(free_port()),
                        RNNCOURSE_PROXY_API_PORT=str(free_port()), RNNCOURSE_PROXY=str(PROXY))
        self.env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + self.env.get("PATH", "")
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log = self.state / "jupyterhub.log"

    def start(self) -> "Hub":
        if not PROXY.exists():
            raise RuntimeError(f"configurable-http-proxy is missing at {PROXY}: run `make class-deps`")
        self.state.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                                      str(ROOT / "deploy" / "jupyterhub_config.py")],
                                     cwd=self.state, env=self.env, stdout=open(self.log, "w"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(self.url + "/hub/api/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not start (exit {self.proc.poll()}):\n{self.log_tail()}")
            time.sleep(0.3)

    def log_tail(self, n: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            stop_process(self.proc, timeout=30)   # the hub stops the users' servers (cleanup_servers) and the proxy


class HubUser:
    """One person using the hub's REST API with their own token (asked for with their password)."""

    def __init__(self, hub: Hub, name: str, password: str):
        import requests

        self.hub, self.name = hub, name
        self.session = requests.Session()
        r = requests.post(f"{hub.url}/hub/api/users/{name}/tokens",
                          json={"auth": {"username": name, "password": password}, "note": "class e2e"}, timeout=30)
        r.raise_for_status()
        self.token = r.json()["token"]
        self.session.headers["Authorization"] = f"token {self.token}"

    def api(self, method: str, path: str, **kw):
        """A request to ``/hub/api/PATH`` or, for ``/user/...`` paths, through the proxy to a server."""
        url = self.hub.url + (path if path.startswith("/user/") else "/hub/api" + path)
        return self.session.request(method, url, timeout=kw.pop("timeout", 180), **kw)

    def start_server(self, timeout: float = 120) -> None:
        r = self.api("POST", f"/users/{self.name}/server")
        if r.status_code not in (201, 202, 400):      # 400: already running
            raise RuntimeError(f"starting {self.name}'s server: {r.status_code} {r.text}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{self.name}").json()
            server = (info.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}'s server did not start:\n{self.hub.log_tail()}")

    def server(self, method: str, path: str, **kw):
        """A request to this user's own server, ``/user/NAME/PATH``."""
        return self.api(method, f"/user/{self.name}/{path.lstrip('/')}", **kw)

    def read_contents(self, path: str, fmt: str | None = None):
        r = self.server("GET", f"api/contents/{path}", params={"content": 1, **({"format": fmt} if fmt else {})})
        r.raise_for_status()
        return r.json()

    def write_notebook(self, path: str, nb: dict):
        r = self.server("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})
        r.raise_for_status()

    def write_text(self, path: str, text: str):
        r = self.server("PUT", f"api/contents/{path}", json={"type": "file", "format": "text", "content": text})
        r.raise_for_status()


def formgrader_post(user: HubUser, path: str, **kw) -> dict:
    """POST to the instructor's formgrader API (``/user/NAME/formgrader/api/PATH``); fail on an error."""
    r = user.server("POST", f"formgrader/api/{path}", **kw)
    r.raise_for_status()
    body = r.json()
    if isinstance(body, dict) and body.get("success") is False:
        raise RuntimeError(f"formgrader {path}: {json.dumps(body)[:3000]}")
    return body


def new_password() -> str:
    return secrets.token_urlsafe(18)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
