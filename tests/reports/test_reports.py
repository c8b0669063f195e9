"""`flowc test`'s reports read by real readers: its JUnit XML by junitparser
(PyPI), its lcov tracefile by genhtml (Debian's lcov). ./test.sh installs both
and runs this file with pytest after `cargo build`.

FLOWC_BIN overrides the binary (default: target/debug/flowc).
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml

ROOT = Path(__file__).resolve().parents[2]
FLOWC = os.environ.get("FLOWC_BIN", str(ROOT / "target" / "debug" / "flowc"))

if not Path(FLOWC).is_file():
    raise RuntimeError(f"{FLOWC} is missing: run `cargo build` (./test.sh does) first")

FAILING = """test "routes a big refund" {
  event { ticket: { tags: ["refund-requested"] } }
  output order { id: "o-1", name: "#1", total: 900, currency: "EUR", refundable: true, customer: { email: "c@example.com" } }
  output approval { decision: "approve", approver: "lee", id: "ap-1" }
  output risk { score: 0.1 }
  output refund_big { id: "r-1" }
  expect ran [order, risk, approval, hold]
}

test "a small refund goes straight through" {
  event { ticket: { tags: ["refund-requested"] } }
  output order { id: "o-2", name: "#2", total: 20, refundable: true, customer: { email: "c@example.com" } }
  output risk { score: 0.1 }
  expect branch big else
}
"""


def flowc(*args, cwd):
    return subprocess.run([FLOWC, *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def project(tmp_path):
    """A copy of the examples, with one failing case and one broken file."""
    dest = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", dest)
    (dest / "refund-approval.flowtest").write_text(FAILING)
    (dest / "webhook-intake.flowtest").write_text('test "x" {\n  output parze { a: 1 }\n}\n')
    return dest


def test_junit_xml_reads_as_junit(project):
    out = flowc("test", "--format", "junit", ".", cwd=project)
    assert out.returncode == 1, out.stderr
    (project / "report.xml").write_text(out.stdout)
    xml = JUnitXml.fromfile(str(project / "report.xml"))
    suites = {suite.name: suite for suite in xml}
    assert sorted(suites) == [
        "./daily-digest.flowtest",
        "./escalation.flowtest",
        "./language-routing.flowtest",
        "./refund-approval.flowtest",
        "./sla-breach.flowtest",
        "./webhook-intake.flowtest",
    ]
    refund = suites["./refund-approval.flowtest"]
    assert (refund.tests, refund.failures, refund.errors) == (2, 1, 0)
    cases = {case.name: case for case in refund}
    assert cases["a small refund goes straight through"].is_passed
    failed = cases["routes a big refund"]
    assert failed.classname == "./refund-approval.flow"
    [failure] = failed.result
    assert isinstance(failure, Failure)
    assert failure.message == (
        "expected the steps [order, risk, approval, hold] to run, in this order; "
        "ran [order, risk, approval, refund_big, confirm_big, handled]"
    )
    assert "if approved (./refund-approval.flow:23): \"approve\" equals \"approve\" is true: takes then" in failure.text
    broken = suites["./webhook-intake.flowtest"]
    assert (broken.tests, broken.failures, broken.errors) == (1, 0, 1)
    [case] = list(broken)
    [error] = case.result
    assert isinstance(error, Error)
    assert "E601 the workflow has no step, `if` or block `parze`" in error.text
    escalation = suites["./escalation.flowtest"]
    assert (escalation.tests, escalation.failures, escalation.errors) == (3, 0, 0)
    assert all(case.is_passed for case in escalation)


def test_genhtml_renders_the_lcov_branches(project, tmp_path):
    (project / "refund-approval.flowtest").write_text(
        (ROOT / "examples" / "refund-approval.flowtest").read_text()
    )
    (project / "webhook-intake.flowtest").unlink()
    out = flowc("test", "--lcov", "lcov.info", ".", cwd=project)
    assert out.returncode == 0, out.stdout + out.stderr
    tracefile = (project / "lcov.info").read_text()
    assert tracefile.count("end_of_record") == 6
    assert "SF:./refund-approval.flow\nBRDA:16,0,0,5\nBRDA:16,0,1,1\nBRDA:17,1,0,3\n" in tracefile
    # The webhook workflow has no test file any more: its branch never ran.
    assert "SF:./webhook-intake.flow\nBRDA:41,0,0,-\nBRDA:41,0,1,-\nBRF:2\nBRH:0\n" in tracefile
    genhtml = shutil.which("genhtml")
    assert genhtml, "genhtml is missing: install Debian's lcov package (./test.sh does)"
    html = tmp_path / "html"
    run = subprocess.run(
        [genhtml, "--branch-coverage", "--output-directory", str(html), "lcov.info"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "branches...: 93.3% (28 of 30 branches)" in run.stdout, run.stdout
    [page] = html.rglob("refund-approval.flow.gcov.html")
    page = page.read_text()
    assert "if eligible: order.output.refundable == true {" in page
    assert (html / "index.html").is_file()
