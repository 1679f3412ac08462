"""The command line's names: --out for the outputs folder everywhere, --version, the load message."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import __version__
from pipeline.__main__ import build_parser, main


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip().endswith(f" {__version__}")


@pytest.mark.parametrize("command", ["extract", "evaluate", "export", "report", "validate"])
def test_every_command_names_the_outputs_folder_out(command):
    assert build_parser().parse_args([command, "--out", "runs/a"]).out == Path("runs/a")


def test_evaluate_keeps_pred_as_an_alias():
    assert build_parser().parse_args(["evaluate", "--pred", "runs/a"]).out == Path("runs/a")


def test_export_reads_out_and_writes_to(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr("pipeline.export.export", lambda *args, **kw: calls.append((args, kw)) or [])
    assert main(["export", "--out", "runs/a", "--to", "tables", "--format", "parquet"]) == 0
    assert main(["export", "--pred", "runs/b"]) == 0
    assert [c[0] for c in calls] == [(Path("runs/a"), "parquet", Path("tables")), (Path("runs/b"), "csv", None)]


def test_export_refuses_the_former_pred_and_out_pair(capsys):
    assert main(["export", "--pred", "runs/a", "--out", "tables"]) == 2
    assert "--to" in capsys.readouterr().err


def _interrupted_load(*args, **kwargs):
    raise KeyboardInterrupt  # stands for the model load: the test needs only what came before


@pytest.mark.parametrize("quiet", [False, True])
def test_a_message_while_the_model_loads_unless_quiet(tmp_path, monkeypatch, capsys, quiet):
    monkeypatch.setattr("pipeline.nlp.build_nlp", _interrupted_load)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Un texte.", encoding="utf-8")
    args = ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "o")] + (["--quiet"] if quiet else [])
    assert main(args) == 130
    assert ("loading the model…" in capsys.readouterr().err) is not quiet
