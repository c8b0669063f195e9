"""Every feature of SPEC §13 through the real binary, with exact positions."""

import json

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import (
    apply,
    change,
    flowc,
    initialize_params,
    open_file,
    position,
    span,
    until,
    uri,
    where,
)


P = types.Position
R = types.Range


def rng(l1, c1, l2, c2):
    return R(start=P(line=l1, character=c1), end=P(line=l2, character=c2))


def check_json(path):
    out = flowc("check", "--format", "json", str(path))
    return json.loads(out.stdout)


def to_utf16_range(text, d):
    """`flowc check --format json` counts columns in characters; LSP in UTF-16."""
    lines = text.split("\n")

    def conv(line, column):
        before = lines[line - 1][: column - 1]
        return P(line=line - 1, character=len(before.encode("utf-16-le")) // 2)

    return R(start=conv(d["line"], d["column"]), end=conv(d["end_line"], d["end_column"]))


async def test_initialize_announces_utf16_and_every_feature(client, project):
    result = await client.initialize_session(initialize_params(project))
    caps = result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.hover_provider is True
    assert caps.definition_provider is True
    assert caps.references_provider is True
    assert caps.rename_provider.prepare_provider is True
    assert caps.document_symbol_provider is True
    assert caps.document_formatting_provider is True
    assert list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert result.server_info.name == "flowc"


async def test_diagnostics_are_check_json_in_utf16(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "broken.flow"
    text = await open_file(client, path)
    got = client.diagnostics[uri(path)]
    expected = check_json(path)["diagnostics"]
    assert [d.code for d in got] == [d["code"] for d in expected] == ["W001", "E201", "E504"]
    for d, e in zip(got, expected):
        assert d.range == to_utf16_range(text, e)
        assert d.source == "flowc"
        help_line = f"\n{e['help']}" if e["help"] else ""
        assert d.message == e["message"] + help_line
        severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}
        assert d.severity == severity[e["severity"]]
    # `    channel: "é🚀 <<lokup…`: é is 1 UTF-16 unit, 🚀 is 2.
    assert got[1].range == rng(6, 18, 6, 41)
    assert got[1].message == "reference to unknown step `lokup`\ndid you mean `lookup`?"


async def test_utf8_positions_when_the_client_offers_them(client, project):
    result = await client.initialize_session(initialize_params(project, utf8=True))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    path = project / "broken.flow"
    text = await open_file(client, path)
    e201 = client.diagnostics[uri(path)][1]
    # é is 2 bytes and 🚀 4.
    assert e201.range == rng(6, 21, 6, 44)
    assert e201.range == span(text, "<<lokup.output.status>>", utf8=True)
    # Requests take UTF-8 positions too.
    hover = await client.text_document_hover_async(
        types.HoverParams(**dict(where(path, position(text, "lookup.output.stats", delta=2, utf8=True))))
    )
    assert hover.range == span(text, "lookup", 1, utf8=True)


async def test_related_information_for_secondary_labels(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "later.flow"
    text = (
        'workflow "Later" {\n'
        "  trigger ticket-created\n"
        '  step tell: send-slack-message { channel: "é", text: "<<lookup.output.status>>" }\n'
        '  step lookup: http-request { url: "https://x" }\n'
        "}\n"
    )
    path.write_text(text, encoding="utf-8")
    await open_file(client, path)
    [d] = client.diagnostics[uri(path)]
    assert d.code == "E202"
    assert d.range == span(text, "<<lookup.output.status>>")
    assert d.range == rng(2, 55, 2, 79)
    [related] = d.related_information
    assert related.location.uri == uri(path)
    assert related.location.range == rng(3, 7, 3, 13)
    assert related.message == "defined here, later"


async def test_change_and_close(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    assert list(client.diagnostics[uri(path)]) == []
    broken = text.replace("<<lookup.output.status>>", "<<lookup.output.nope>>")
    await change(client, path, 2, broken)
    [d] = client.diagnostics[uri(path)]
    assert (d.code, d.range) == ("E504", span(broken, "<<lookup.output.nope>>"))
    waiter = client.wait_for_notification("textDocument/publishDiagnostics")
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(path)))
    )
    await waiter
    assert list(client.diagnostics[uri(path)]) == []


async def test_incremental_changes(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    # Replace `status>> <<tag` on the line with é and 🚀 by `stats>> <<tag`.
    at = span(text, "status>> <<tag")
    edit = R(start=at.start, end=P(line=at.start.line, character=at.start.character + 6))
    waiter = client.wait_for_notification("textDocument/publishDiagnostics")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=edit, text="stats")],
        )
    )
    await waiter
    new = text.replace("status>> <<tag", "stats>> <<tag")
    [d] = client.diagnostics[uri(path)]
    assert d.code == "E504"
    assert d.range == span(new, "<<lookup.output.stats>>")
    assert d.message == "`http-request` has no output field `stats`\ndid you mean `status`?"


async def test_catalog_is_read_again_when_it_changes(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    await open_file(client, path)
    assert list(client.diagnostics[uri(path)]) == []
    toml = project / "flowc.toml"
    toml.write_text(toml.read_text().replace('outputs = ["tag_id"]', 'outputs = ["id"]'))
    waiter = client.wait_for_notification("textDocument/publishDiagnostics")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(toml), type=types.FileChangeType.Changed)]
        )
    )
    await waiter
    [d] = client.diagnostics[uri(path)]
    assert d.code == "E504"
    assert d.message.startswith("`add-ticket-tag` has no output field `tag_id`")
    # A broken catalog: its E505 is shown on the TOML file, the defaults apply.
    toml.write_text("[actions.x]\nnope = 1\n")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(toml)))
    )
    await until(lambda: len(client.diagnostics.get(uri(toml), [])) == 1)
    await until(lambda: list(client.diagnostics[uri(path)]) == [])
    [e505] = client.diagnostics[uri(toml)]
    assert e505.code == "E505"
    assert e505.range == rng(1, 0, 1, 4)


async def complete(client, path, pos):
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri(path)), position=pos)
    )
    return result.items


async def test_completion_of_triggers_types_and_inputs(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    # After `trigger `: the API's 25 and the catalog's extra, replacing the word.
    items = await complete(client, path, position(text, "ticket-created", delta=3))
    labels = [i.label for i in items]
    assert len(labels) == 26 and labels[0] == "manual-trigger" and labels[-1] == "ticket-merged"
    assert items[8].label == "ticket-created"
    assert items[8].text_edit.range == span(text, "ticket-created")
    # After `step ID: `: the catalog's action types.
    items = await complete(client, path, position(text, "http-request", delta=4))
    assert [i.label for i in items] == ["http-request", "add-ticket-tag", "send-slack-message"]
    assert items[0].detail == "inputs: url, method, headers; outputs: status, body, headers"
    # Inside a step's braces: the inputs not yet written.
    typed = text.replace('    method: "GET"\n', '    method: "GET"\n    he\n')
    await change(client, path, 2, typed)
    items = await complete(client, path, position(typed, "    he\n", delta=6))
    assert [(i.label, i.detail) for i in items] == [("headers", "object")]
    assert items[0].text_edit.range == R(
        start=position(typed, "    he\n", delta=4), end=position(typed, "    he\n", delta=6)
    )


async def test_completion_of_references_in_all_three_forms(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    # `<<` in a string after é and 🚀: lookup has run, tag may not have, and
    # alert (itself) and later steps are left out; the declared root follows.
    typed = text.replace('<<tag.output.tag_id>>"', '<<t"')
    await change(client, path, 2, typed)
    items = await complete(client, path, position(typed, '<<t"', delta=3))
    assert [(i.label, i.detail) for i in items] == [
        ("lookup", "http-request step"),
        ("tag", "add-ticket-tag step; may not have run"),
        ("note", "send-slack-message step; may not have run"),
        ("trigger", "declared root"),
    ]
    assert items[1].label_details.description == "may not have run"
    assert items[0].text_edit.range == R(
        start=position(typed, '<<t"', delta=2), end=position(typed, '<<t"', delta=3)
    )
    # `{{ID.output.`: the output fields of the step's type.
    typed = text.replace("{{lookup.output.status}}", "{{lookup.output.}}")
    await change(client, path, 3, typed)
    items = await complete(client, path, position(typed, "{{lookup.output.}}", delta=16))
    assert [i.label for i in items] == ["status", "body", "headers"]
    assert items[0].text_edit.range == R(
        start=position(typed, "{{lookup.output.}}", delta=16),
        end=position(typed, "{{lookup.output.}}", delta=16),
    )
    # A bare path: inside the `then` branch, only lookup has run.
    typed = text.replace('{ tag: "vip" }', "{ tag: lookup.output.body }")
    await change(client, path, 4, typed)
    items = await complete(client, path, position(typed, "tag: lookup", delta=7))
    assert [i.label for i in items] == ["lookup", "trigger"]
    assert items[0].text_edit.range == span(typed, "lookup", 2)
    items = await complete(client, path, position(typed, "lookup.output.body }", delta=15))
    assert [i.label for i in items] == ["status", "body", "headers"]


async def test_completion_of_operators_and_json_logic(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    # After an `if` operand: the condition operators.
    items = await complete(client, path, position(text, "== 200", delta=0))
    labels = [i.label for i in items]
    assert labels[:6] == ["==", "!=", ">", ">=", "<", "<="]
    assert "starts_with" in labels and len(labels) == 16
    assert items[0].detail == "equals"
    # Inside `when`: JSON Logic operations where a call may stand.
    typed = text.replace("  trigger ticket-created\n", "  trigger ticket-created\n  when mi\n")
    await change(client, path, 2, typed)
    items = await complete(client, path, position(typed, "when mi", delta=7))
    labels = [i.label for i in items]
    assert "missing" in labels and "missing_some" in labels and "var" in labels
    assert "==" not in labels
    assert items[0].kind == types.CompletionItemKind.Function


async def test_hover(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    expected = (
        '**step `lookup`**: `http-request` "Look up 🚀 account"\n\n'
        "inputs:\n- `url`: string, required\n- `method`: string, one of \"GET\" \"POST\"\n"
        "- `headers`: object\n\noutputs: `status`, `body`, `headers`"
    )
    # On the definition, and on a reference after é and 🚀.
    for needle, nth in [("lookup", 0), ("lookup.output.status>>", 0)]:
        hover = await client.text_document_hover_async(
            types.HoverParams(**dict(where(path, position(text, needle, nth, delta=1))))
        )
        assert hover.contents.kind == types.MarkupKind.Markdown
        assert hover.contents.value == expected
    hover = await client.text_document_hover_async(
        types.HoverParams(**dict(where(path, position(text, "lookup.output.status>>", delta=1))))
    )
    assert hover.range == span(text, "lookup", 4)
    # On the trigger type and an action type.
    hover = await client.text_document_hover_async(
        types.HoverParams(**dict(where(path, position(text, "ticket-created", delta=1))))
    )
    assert hover.contents.value == "**trigger `ticket-created`**: a trigger type of the API"
    hover = await client.text_document_hover_async(
        types.HoverParams(**dict(where(path, position(text, "add-ticket-tag", delta=1))))
    )
    assert hover.contents.value == (
        "**action type `add-ticket-tag`**\n\ninputs:\n- `tag`: string, required\n\noutputs: `tag_id`"
    )
    assert hover.range == span(text, "add-ticket-tag")


async def test_definition_from_all_three_forms(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    definition = span(text, "lookup")
    assert definition == rng(5, 7, 5, 13)
    for needle in ["lookup.output.status ==", "{{lookup", "lookup.output.body", "<<lookup"]:
        delta = 3 if needle.startswith(("<<", "{{")) else 1
        result = await client.text_document_definition_async(
            types.DefinitionParams(**dict(where(path, position(text, needle, delta=delta))))
        )
        assert result.uri == uri(path)
        assert result.range == definition, needle
    result = await client.text_document_definition_async(
        types.DefinitionParams(**dict(where(path, position(text, "<<tag", delta=3))))
    )
    assert result.range == span(text, "tag", 0)


async def test_references(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    result = await client.text_document_references_async(
        types.ReferenceParams(
            **dict(where(path, position(text, "lookup", delta=2))),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert [r.range for r in result] == [
        span(text, "lookup", 0),
        span(text, "lookup", 1),
        span(text, "lookup", 2),
        span(text, "lookup", 3),
        span(text, "lookup", 4),
    ]
    # The `<<lookup` after é and 🚀, counted in UTF-16.
    assert result[4].range == rng(19, 17, 19, 23)
    # From a reference, without the declaration.
    result = await client.text_document_references_async(
        types.ReferenceParams(
            **dict(where(path, position(text, "{{lookup", delta=4))),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert len(result) == 4


async def rename(client, path, pos, new):
    return await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=pos, new_name=new
        )
    )


def build(text):
    out = flowc("build", "-", stdin=text)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


async def test_rename_rewrites_every_form(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(**dict(where(path, position(text, "<<lookup", delta=4))))
    )
    assert prepared.range == span(text, "lookup", 4)
    assert prepared.placeholder == "lookup"
    edit = await rename(client, path, position(text, "<<lookup", delta=4), "crm")
    renamed = apply(text, edit.changes[uri(path)])
    assert renamed == text.replace("lookup", "crm")
    assert build(renamed) == json.loads(json.dumps(build(text)).replace("lookup", "crm"))
    # An id that is not an identifier is quoted, and a bare path becomes a string.
    edit = await rename(client, path, position(text, "lookup", delta=1), "3f2a-9c")
    renamed = apply(text, edit.changes[uri(path)])
    assert 'step "3f2a-9c": http-request' in renamed
    assert "channel: \"<<3f2a-9c.output.body>>\"" in renamed
    assert "if 3f2a-9c.output.status" not in renamed
    assert flowc("check", "-", stdin=renamed).returncode == 0
    assert build(renamed) == json.loads(json.dumps(build(text)).replace("lookup", "3f2a-9c"))


async def test_rename_refuses_taken_and_empty_ids(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    for new, message in [
        ("tag", "the id `tag` is already taken"),
        ("", "a step id must not be empty"),
        ("if-1", "the id `if-1` is already taken"),
        ("a b", "`a b` cannot be referenced: a referenced id may hold only letters, digits, `_` and `-`"),
    ]:
        with pytest.raises(JsonRpcException) as err:
            await rename(client, path, position(text, "lookup", delta=1), new)
        assert err.value.message == message
    with pytest.raises(JsonRpcException) as err:
        await rename(client, path, position(text, "ticket-created"), "x")
    assert err.value.message == "no step id here"


async def test_document_symbols(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    [wf] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri(path)))
    )
    assert (wf.name, wf.kind) == ("Routing 🚀", types.SymbolKind.Module)
    assert wf.selection_range == span(text, '"Routing 🚀"')

    def tree(symbols):
        return [(s.name, s.detail, tree(s.children or [])) for s in symbols]

    assert tree(wf.children) == [
        ("description", "Tag é tickets", []),
        ("trigger", "ticket-created", []),
        ("lookup", 'http-request "Look up 🚀 account"', []),
        (
            "if-1",
            "if lookup.output.status == 200",
            [
                ("then", "branch", [("tag", "add-ticket-tag", [])]),
                ("else", "branch", [("note", "send-slack-message", [])]),
            ],
        ),
        ("alert", "send-slack-message", []),
    ]
    alert = wf.children[4]
    assert alert.selection_range == span(text, "alert")
    assert alert.range.start == position(text, "step alert")
    assert alert.range.end == position(text, "  }\n}", delta=3)


async def test_formatting(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flow"
    text = await open_file(client, path)
    messy = text.replace('    url: "https://crm.example.com"\n', '    url:   "https://crm.example.com",\n')
    await change(client, path, 2, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert len(edits) == 1
    formatted = apply(messy, edits)
    assert formatted == flowc("fmt", "-", stdin=messy).stdout
    assert formatted != messy
    # None while the text has syntax errors.
    await change(client, path, 3, messy.replace("step tag:", "step tag"))
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert list(edits) == []


async def test_code_actions(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "broken.flow"
    text = await open_file(client, path)
    diagnostics = client.diagnostics[uri(path)]

    async def actions(d):
        return await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri(path)),
                range=d.range,
                context=types.CodeActionContext(diagnostics=[d]),
            )
        )

    w001, e201, e504 = diagnostics
    got = await actions(e201)
    assert [(a.title, a.is_preferred) for a in got] == [
        ("replace with `lookup`", True),
        ("silence E201 with `// flowc: allow(E201)`", False),
    ]
    assert got[0].kind == types.CodeActionKind.QuickFix
    assert got[0].diagnostics[0].code == "E201"
    [fix] = got[0].edit.changes[uri(path)]
    assert fix.range == span(text, "lokup")
    assert fix.range == rng(6, 20, 6, 25)
    fixed = apply(text, [fix])
    assert "<<lookup.output.status>>" in fixed
    # The allow comment goes on its own line before the statement, and
    # silences E201 there.
    [allow] = got[1].edit.changes[uri(path)]
    assert allow.range == rng(5, 0, 5, 0)
    assert allow.new_text == "  // flowc: allow(E201)\n"
    path.write_text(apply(text, [allow]))
    assert [d["code"] for d in check_json(path)["diagnostics"]] == ["W001", "E504"]
    # E504's replacement is the field only.
    got = await actions(e504)
    replace = got[0].edit.changes[uri(path)][0]
    assert (replace.range, replace.new_text) == (span(text, "stats"), "status")
    # W001's fix removes the comment's whole line.
    got = await actions(w001)
    assert [a.title for a in got] == ["remove the unused allow comment"]
    [remove] = got[0].edit.changes[uri(path)]
    assert (remove.range, remove.new_text) == (rng(3, 0, 4, 0), "")
    # The three fixes together give a clean file.
    path.write_text(apply(text, [fix, replace, remove]))
    assert check_json(path)["diagnostics"] == []


async def test_unknown_document_gets_an_error(client, project):
    await client.initialize_session(initialize_params(project))
    missing = project / "nowhere.flow"
    with pytest.raises(JsonRpcException) as err:
        await client.text_document_hover_async(
            types.HoverParams(**dict(where(missing, P(line=0, character=0))))
        )
    assert err.value.code == -32602
    assert err.value.message == f"unknown document `{uri(missing)}`: open it first"
    # The server goes on.
    path = project / "routing.flow"
    await open_file(client, path)
    assert list(client.diagnostics[uri(path)]) == []
