"""Servers the tests start as child processes on loopback: a free port, waiting for it, stopping them.

Used by browser_check.py (``http.server`` for the built book), class_servers.py
(PostgreSQL, JupyterHub) and test_lab.py (JupyterLab).
"""
from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 60.0, what: str = "server",
                  poll: float = 0.2) -> None:
    """Return once something listens on 127.0.0.1:``port``; RuntimeError if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode} before listening on port {port}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")
            time.sleep(poll)


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """Terminate ``proc`` and wait ``timeout`` seconds for it; kill it if it is still running then."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
