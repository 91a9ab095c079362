"""Bad input gets one sentence: a config the loop cannot run (exit 2, no connector started), and a
supplier that refuses the credentials (exit 1, naming supplier and stream, the secret never shown)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from connector_testing import SOURCES, running_sandbox

SUPPLIER_SYNC = str(Path(sys.executable).parent / "supplier-sync")


def run(config: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SUPPLIER_SYNC, "run", "--config", str(config), "--no-push"], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("content, says", [
    ("sources: {source-nowhere: {}}", "no connector source-nowhere is installed"),
    ("sources: {rec-plus: {}}", "is not a connector name; name it source-<supplier>"),
    ("warehouse: w.duckdb\n", "sources in"),
    ("sources: [", "is not valid YAML at line"),
    ("sources: {source-netxl: {}}\nmatch: {stock: most}", "match.stock in"),
])
def test_config_errors_are_one_sentence(tmp_path, content, says):
    config = tmp_path / "loop.yml"
    config.write_text(content)
    result = run(config, timeout=120)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "logs").exists()  # nothing ran


def test_missing_config_file(tmp_path):
    result = run(tmp_path / "absent.yml", timeout=120)
    assert result.returncode == 2 and "No config file at" in result.stderr


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_refused_credentials_name_supplier_stream_and_hide_the_secret(tmp_path):
    connector = SOURCES["rec_plus"]
    with running_sandbox(connector.sandbox) as server:
        wrong = {**connector.config(server.url), "password": "wrong-pass-8c1f"}
        config = tmp_path / "loop.yml"
        config.write_text(yaml.safe_dump({"sources": {connector.script: wrong}}))
        result = run(config)
    text = result.stdout + result.stderr
    assert result.returncode == 1
    error = next(line for line in result.stdout.splitlines() if line.startswith("rec_plus, stream "))
    assert error.endswith(".")
    assert "wrong-pass-8c1f" not in text and "Traceback" not in text
    assert "No supplier has data in the warehouse yet" in result.stdout
