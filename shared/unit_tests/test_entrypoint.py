import json

import pytest

from connector_common.entrypoint import find_manifest, run_declarative


def test_manifest_is_found_beside_the_package_or_at_the_connector_root(tmp_path):
    package = tmp_path / "source_x"
    package.mkdir()
    (package / "run.py").write_text("")
    with pytest.raises(FileNotFoundError):
        find_manifest(str(package / "run.py"))
    (tmp_path / "manifest.yaml").write_text("{}")
    assert find_manifest(str(package / "run.py")) == tmp_path / "manifest.yaml"
    (package / "manifest.yaml").write_text("{}")
    assert find_manifest(str(package / "run.py")) == package / "manifest.yaml"


def test_unreadable_config_is_a_sentence_not_a_traceback(tmp_path, capsys):
    """`check` answers FAILED with it; other commands stop with a config-error trace."""
    package = tmp_path / "source_x"
    package.mkdir()
    (tmp_path / "manifest.yaml").write_text("version: 7.0.0\ntype: DeclarativeSource\n")
    bad = tmp_path / "config.json"
    bad.write_text("{not json")
    run_declarative(str(package / "run.py"), ["check", "--config", str(bad)])
    status = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert status["type"] == "CONNECTION_STATUS" and status["connectionStatus"]["status"] == "FAILED"
    assert status["connectionStatus"]["message"].startswith(f"The file {bad} could not be read as JSON")
    with pytest.raises(SystemExit):
        run_declarative(str(package / "run.py"), ["discover", "--config", str(bad)])
    message = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert message["type"] == "TRACE" and message["trace"]["error"]["failure_type"] == "config_error"
    assert message["trace"]["error"]["message"].startswith(f"The file {bad} could not be read as JSON")
