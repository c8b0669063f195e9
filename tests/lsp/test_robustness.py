"""No text, request order or malformed message ends the server (SPEC §13)."""

import json
import random
import subprocess

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import FLOWC, initialize_params, open_file, uri, until

SNIPPETS = [
    "{", "}", "[", "]", '"', '"""\n', "<<", ">>", "{{", "}}", ":", ",", ".", "\n", " ",
    "é", "🚀", "\\", "//", "/*", "*/", "step x: http-request { url: \"u\" }\n",
    "if lookup.output.status == 1 { step y: add-ticket-tag { tag: \"t\" } }\n",
    "<<lookup.output.body>>", "{{tag.output.tag_id}}", "lookup.output.status",
    "else ", "block b: t { branch a { } }", "raw { id: \"r\" }", "when a == 1\n",
    "trigger ", "// flowc: allow(W201)\n", "workflow \"W\" {", "\t", "\r\n", "0x",
]


def utf16_position(text: str, index: int) -> types.Position:
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=len(text[start:index].encode("utf-16-le")) // 2)


async def random_request(client, path, text, rng):
    """One request at a random place; every one must be answered, with at
    most a refusal (never an internal error)."""
    doc = types.TextDocumentIdentifier(uri=uri(path))
    pos = utf16_position(text, rng.randrange(len(text) + 1))
    kind = rng.randrange(9)
    try:
        if kind == 0:
            await client.text_document_completion_async(types.CompletionParams(text_document=doc, position=pos))
        elif kind == 1:
            await client.text_document_hover_async(types.HoverParams(text_document=doc, position=pos))
        elif kind == 2:
            await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos))
        elif kind == 3:
            await client.text_document_references_async(
                types.ReferenceParams(
                    text_document=doc, position=pos, context=types.ReferenceContext(include_declaration=True)
                )
            )
        elif kind == 4:
            await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
        elif kind == 5:
            await client.text_document_formatting_async(
                types.DocumentFormattingParams(
                    text_document=doc, options=types.FormattingOptions(tab_size=2, insert_spaces=True)
                )
            )
        elif kind == 6:
            end = utf16_position(text, rng.randrange(len(text) + 1))
            start, end = sorted([pos, end], key=lambda p: (p.line, p.character))
            await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=doc,
                    range=types.Range(start=start, end=end),
                    context=types.CodeActionContext(diagnostics=[]),
                )
            )
        elif kind == 7:
            await client.text_document_prepare_rename_async(types.PrepareRenameParams(text_document=doc, position=pos))
        else:
            await client.text_document_rename_async(
                types.RenameParams(text_document=doc, position=pos, new_name=rng.choice(["n", "x y", "", "tag"]))
            )
    except JsonRpcException as err:
        # Rename refuses some ids and places; nothing else may fail.
        assert kind in (7, 8) and err.code == -32803, (kind, err.code, err.message, text)


async def test_random_edits_with_requests_in_between(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    rng = random.Random(20261201)
    version = 1
    for _ in range(400):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 2, 5, 20]))
        new = rng.choice(SNIPPETS) if rng.random() < 0.8 else ""
        version += 1
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=utf16_position(text, start), end=utf16_position(text, end)),
                        text=new,
                    )
                ],
            )
        )
        text = text[:start] + new + text[end:]
        await random_request(client, path, text, rng)
    # The server's copy is ours: its diagnostics are `flowc check`'s.
    path.write_text(text, encoding="utf-8", newline="")
    out = subprocess.run([FLOWC, "check", "--format", "json", str(path)], capture_output=True, text=True)
    expected = [(d["code"], d["line"] - 1) for d in json.loads(out.stdout)["diagnostics"]]
    await until(lambda: [(d.code, d.range.start.line) for d in client.diagnostics[uri(path)]] == expected)


class Raw:
    """A bare JSON-RPC client over the server's standard streams."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [FLOWC, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def send_bytes(self, payload: bytes):
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(payload) + payload)
        self.proc.stdin.flush()

    def send(self, message: dict):
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def receive(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            assert line, "the server closed its output"
            line = line.strip()
            if not line:
                break
            name, value = line.split(b":", 1)
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def response(self) -> dict:
        """The next response, skipping notifications."""
        while True:
            message = self.receive()
            if "method" not in message:
                return message


def test_malformed_messages_get_errors_and_the_server_goes_on():
    raw = Raw()
    raw.send({"id": 1, "method": "textDocument/hover", "params": {}})
    assert raw.response()["error"]["code"] == -32002  # not initialized
    raw.send({"id": 2, "method": "initialize", "params": {"capabilities": {}}})
    assert raw.response()["result"]["capabilities"]["positionEncoding"] == "utf-16"
    raw.send({"method": "initialized", "params": {}})
    raw.send_bytes(b"{not json")
    assert raw.response() == {"jsonrpc": "2.0", "id": None, "error": raw_error(-32700)}
    raw.send_bytes(b'{"id": 3, "params": 1}')
    got = raw.response()
    assert (got["id"], got["error"]["code"]) == (3, -32600)
    # Headers without a length are skipped.
    raw.proc.stdin.write(b"X-Nothing: 1\r\n\r\n")
    raw.send({"id": 4, "method": "textDocument/hover", "params": 5})
    got = raw.response()
    assert (got["id"], got["error"]["code"]) == (4, -32602)
    raw.send({"id": 5, "method": "textDocument/nonsense", "params": {}})
    got = raw.response()
    assert (got["id"], got["error"]["code"]) == (5, -32601)
    raw.send({"method": "textDocument/didChange", "params": {"bogus": True}})
    raw.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "untitled:1", "languageId": "flow", "version": 1, "text": "workflow \"é\" { trigger x }"}}})
    published = raw.receive()
    assert published["method"] == "textDocument/publishDiagnostics"
    [e300] = published["params"]["diagnostics"]
    assert e300["code"] == "E300"
    assert e300["range"] == {"start": {"line": 0, "character": 23}, "end": {"line": 0, "character": 24}}
    raw.send({"id": 6, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "untitled:1"}, "position": {"line": 99, "character": 99}}})
    assert raw.response() == {"jsonrpc": "2.0", "id": 6, "result": None}
    raw.send({"id": 7, "method": "shutdown"})
    assert raw.response() == {"jsonrpc": "2.0", "id": 7, "result": None}
    raw.send({"id": 8, "method": "textDocument/hover", "params": {}})
    assert raw.response()["error"]["code"] == -32600  # shutting down
    raw.send({"method": "exit"})
    assert raw.proc.wait(timeout=10) == 0
    assert raw.proc.stderr.read() == b""


def raw_error(code):
    return {"code": code, "message": "not JSON: key must be a string at line 1 column 2"}


def test_exit_without_shutdown_is_status_1():
    raw = Raw()
    raw.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
    raw.response()
    raw.send({"method": "exit"})
    assert raw.proc.wait(timeout=10) == 1


def test_end_of_input_ends_the_server():
    raw = Raw()
    raw.proc.stdin.close()
    assert raw.proc.wait(timeout=10) == 1


async def test_thousands_of_diagnostics_on_one_long_line(client, project):
    """Columns on a long line cost a bounded count each, not a walk from
    the line's start: 20,000 diagnostics on a 400 KB line come back."""
    from conftest import span

    await client.initialize_session(initialize_params(project))
    refs = " ".join(f"<<s{i}.output.x>>" for i in range(20_000))
    text = (
        'workflow "W" {\n  trigger ticket-created\n'
        f'  step a: send-slack-message {{ channel: "é🚀", text: "é🚀 {refs}" }}\n}}\n'
    )
    path = project / "long.flow"
    path.write_text(text, encoding="utf-8")
    await open_file(client, path)
    got = client.diagnostics[uri(path)]
    assert len(got) == 20_000 and {d.code for d in got} == {"E201"}
    assert got[-1].range == span(text, "<<s19999.output.x>>")


def test_end_of_input_after_shutdown_is_clean():
    raw = Raw()
    raw.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
    raw.response()
    raw.send({"id": 2, "method": "shutdown"})
    assert raw.response()["result"] is None
    raw.proc.stdin.close()
    assert raw.proc.wait(timeout=10) == 0


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_stays_flat_over_many_edits():
    """Each edit replaces the document's analysis; the old one must be given
    back. (The binary's own allocator once kept every freed analysis: 170
    KiB more per edit of this document.)"""
    steps = "\n".join(
        f'  step s{i}: http-request {{ url: "https://example.com/{i}", body: "<<s{max(i - 1, 0)}.output.id>>" }}'
        for i in range(200)
    )
    raw = Raw()
    raw.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
    raw.response()
    raw.send({"method": "initialized", "params": {}})
    doc = "untitled:memory"

    def text(version):
        return f'workflow "Memory {version}" {{\n  trigger manual-trigger\n{steps}\n}}\n'

    def published(version):
        while True:
            message = raw.receive()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return

    raw.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": doc, "languageId": "flow", "version": 1, "text": text(1)}}})
    published(1)
    sizes = {}
    for version in range(2, 302):
        raw.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": doc, "version": version},
            "contentChanges": [{"text": text(version)}]}})
        # A request after each edit makes the server build the whole index
        # of that version, not only its diagnostics.
        raw.send({"id": version, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": doc}}})
        published(version)
        if version in (51, 301):
            sizes[version] = rss_kib(raw.proc.pid)
    growth = sizes[301] - sizes[51]
    assert growth < 8 * 1024, f"the server grew by {growth} KiB over 250 edits ({sizes})"
    raw.send({"id": 1000, "method": "shutdown"})
    raw.send({"method": "exit"})
    assert raw.proc.wait(timeout=10) == 0
