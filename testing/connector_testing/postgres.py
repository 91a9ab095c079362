"""A throwaway Postgres server for a test: initdb in a temporary folder, a free port, stopped after.

Uses the server binaries the machine has (Debian's `postgresql` package puts them under
/usr/lib/postgresql/<version>/bin); None when it has none, so the caller can skip with that reason.
As root, the server runs as the `postgres` user (initdb refuses root).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator


def server_binaries() -> Path | None:
    for candidate in [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)]:
        if candidate and Path(candidate).exists() and (Path(candidate).parent / "pg_ctl").exists():
            return Path(candidate).parent
    return None


def why_not() -> str | None:
    """None when a server can be started here, else the reason it cannot."""
    if server_binaries() is None:
        return "no Postgres server binaries (initdb, pg_ctl) on this machine; apt-get install postgresql to run this test"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root without runuser to start the server as the postgres user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_postgres() -> Iterator[dict]:
    """Yields a dbt-postgres profile target (host, port, user, dbname, schema) for the running server."""
    bin_dir = server_binaries()
    assert bin_dir is not None
    as_postgres: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    with tempfile.TemporaryDirectory(prefix="pg-") as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        if as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(tmp, user.pw_uid, user.pw_gid)
            os.chown(data, user.pw_uid, user.pw_gid)
        port = _free_port()
        subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(Path(tmp) / "server.log"), "-w", "-t", "60",
                        "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=120)
        try:
            yield {"type": "postgres", "host": "127.0.0.1", "port": port, "user": "postgres", "password": "",
                   "dbname": "postgres", "schema": "public", "threads": 1}
        finally:
            subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
