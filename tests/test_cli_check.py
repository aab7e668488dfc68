"""`dpup check`: the report a contract manager reads, and the exit codes a CI job reads."""

import io
import json
import subprocess
import sys
from pathlib import Path

import dpup
from dpup.cli import EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, main
from tests.test_report import FIELDS  # the fields of a finding in JSON

ROOT = Path(__file__).resolve().parents[1]
BEFORE = str(ROOT / "examples" / "best-foot-forward-before.yaml")
AFTER = str(ROOT / "examples" / "best-foot-forward.yaml")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_text_groups_findings_by_family_and_ends_with_a_summary_and_verdict() -> None:
    code, out, err = run("check", BEFORE)
    assert code == EXIT_FINDINGS
    assert err == ""
    lines = out.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ") and "(" in line]
    assert [h.split(" (")[0] for h in headings] == [
        "Purpose mismatches",
        "Missing explanations",
        "Untraceable holders",
        "Sharing value",
    ]
    assert "Purpose Matters" in headings[0]
    assert "Mahitahitanga" in headings[3]
    # Each finding: code, severity and subject, then its message, path (where it has one) and fix.
    assert any(line.split() == ["PM003", "error", "outcomes-report"] for line in lines)
    assert any(
        "path: parents -> ccss -> agency.reporting -> agency.evaluation -> insights-ltd" in x for x in lines
    )
    assert sum(line.strip().startswith("fix:") for line in lines) == len(dpup.check(dpup.load(BEFORE)))
    assert lines[-2] == "42 findings: 24 errors, 18 warnings, 0 info, 0 accepted"
    assert lines[-1] == "fails at --fail-on warning"


def test_the_dpup_way_passes() -> None:
    code, out, _ = run("check", AFTER)
    assert code == EXIT_OK
    assert out.splitlines()[-1] == "passes at --fail-on warning"


def test_json_has_every_field_of_every_finding() -> None:
    code, out, _ = run("check", "--format", "json", "--fail-on", "error", BEFORE)
    assert code == EXIT_FINDINGS
    data = json.loads(out)
    assert len(data["findings"]) == 42
    assert data["counts"]["error"] == 24
    assert all(set(f) == FIELDS for f in data["findings"])


def test_several_files_are_checked_as_one_graph(tmp_path: Path) -> None:
    # The same agreement under another id: its flows join the same holders' nodes.
    other = dpup.load(BEFORE)
    text = dpup.dumps(other).replace("id: best-foot-forward-before", "id: another-contract", 1)
    path = tmp_path / "another.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("check", "--format", "json", BEFORE, str(path))
    assert code == EXIT_FINDINGS
    agreements = {f["agreement"] for f in json.loads(out)["findings"]}
    assert agreements == {"best-foot-forward-before", "another-contract"}


def test_two_files_with_one_agreement_id_are_an_invalid_input() -> None:
    code, out, err = run("check", BEFORE, BEFORE)
    assert code == EXIT_INVALID
    assert out == ""
    assert "best-foot-forward-before" in err
    assert "Traceback" not in err


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_cut_off_by_the_reader_ends_quietly_with_141() -> None:
    err = io.StringIO()
    code = main(["check", BEFORE], out=_ClosedPipe(), err=err)
    assert code == EXIT_BROKEN_PIPE
    assert err.getvalue() == ""


def test_a_real_pipe_into_head_shows_no_traceback() -> None:
    script = f"import sys; from dpup.cli import main; sys.exit(main(['check', {BEFORE!r}]))"
    result = subprocess.run(
        ["bash", "-c", f'{sys.executable} -c "{script}" | head -n 1'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == BEFORE
    assert "Traceback" not in result.stderr
