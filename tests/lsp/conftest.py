"""Drives the real `flowc lsp` binary with pytest-lsp, a real LSP client.

FLOWC_BIN overrides the binary (default: target/debug/flowc, which
./test.sh builds first).
"""

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
FLOWC = os.environ.get("FLOWC_BIN", str(ROOT / "target" / "debug" / "flowc"))
PROJECT = Path(__file__).resolve().parent / "project"

if not Path(FLOWC).is_file():
    raise RuntimeError(f"{FLOWC} is missing: run `cargo build` (./test.sh does) first")


@pytest.fixture
def project(tmp_path):
    """A fresh copy of tests/lsp/project: real files beside a real flowc.toml."""
    dest = tmp_path / "project"
    shutil.copytree(PROJECT, dest)
    return dest


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def position(text: str, needle: str, nth: int = 0, delta: int = 0, utf8: bool = False):
    """The LSP position of the `nth` occurrence of `needle` in `text`, plus
    `delta` characters, counted in UTF-16 units (or UTF-8 bytes)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    if utf8:
        character = len(before.encode("utf-8"))
    else:
        character = len(before.encode("utf-16-le")) // 2
    return types.Position(line=line, character=character)


def span(text: str, needle: str, nth: int = 0, utf8: bool = False):
    start = position(text, needle, nth, utf8=utf8)
    end = position(text, needle, nth, len(needle), utf8=utf8)
    return types.Range(start=start, end=end)


def offset(text: str, pos: types.Position) -> int:
    """The index into `text` (a Python str) of an LSP UTF-16 position."""
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return before + i
        units += len(ch.encode("utf-16-le")) // 2
    return before + len(line)


def apply(text: str, edits) -> str:
    """Applies LSP text edits (UTF-16 ranges of the same text) to `text`."""
    spans = sorted(
        ((offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def flowc(*args, stdin=None):
    return subprocess.run(
        [FLOWC, *args], input=stdin, capture_output=True, text=True, check=False
    )


def initialize_params(project: Path | None = None, utf8: bool = False):
    caps = client_capabilities("visual-studio-code")
    if utf8:
        caps.general = types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
        )
    folders = None
    if project is not None:
        folders = [types.WorkspaceFolder(uri=uri(project), name="project")]
    return types.InitializeParams(capabilities=caps, workspace_folders=folders)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[FLOWC, "lsp"]))
async def client(lsp_client: LanguageClient):
    lsp_client.registrations = []

    # The server asks to watch `flowc.toml` files, as VS Code allows.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    yield
    if lsp_client.capabilities is not None:
        await lsp_client.shutdown_session()
        # `exit` after `shutdown` is a clean exit.
        assert lsp_client._server.returncode == 0


async def open_file(
    client: LanguageClient, path: Path, text: str | None = None, language_id: str = "flow"
):
    """Opens a file as an editor does, and waits for its diagnostics."""
    if text is None:
        text = path.read_text(encoding="utf-8")
    waiter = client.wait_for_notification("textDocument/publishDiagnostics")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id=language_id, version=1, text=text
            )
        )
    )
    await waiter
    return text


async def change(client: LanguageClient, path: Path, version: int, text: str, wait=True):
    """Replaces the whole text, and waits for the new diagnostics."""
    waiter = client.wait_for_notification("textDocument/publishDiagnostics") if wait else None
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    if waiter is not None:
        await waiter
    return text


async def until(condition, seconds: float = 10.0):
    """Waits until `condition()` holds (for notifications that may already have come)."""
    for _ in range(int(seconds * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out waiting for the server")


def where(path: Path, pos: types.Position) -> dict:
    """The `textDocument` and `position` fields of a request."""
    return {"text_document": types.TextDocumentIdentifier(uri=uri(path)), "position": pos}
