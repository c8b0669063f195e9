"""`.flowtest` documents (SPEC §15) through the real `flowc lsp`: their
mistakes as they are typed, their cases' failures when they are opened or
saved, completion of the workflow's ids, formatting, and the workflow beside
them read from the editor when it is open there."""

import json

from lsprotocol import types

from conftest import (
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


async def open_test(client, path, text=None):
    """Opens a test file as an editor does (language `flowtest`)."""
    return await open_file(client, path, text, language_id="flowtest")


async def save(client, path, text):
    """Writes `text` to disk and says so, as an editor saving does."""
    path.write_text(text, encoding="utf-8")
    waiter = client.wait_for_notification("textDocument/publishDiagnostics")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(path)))
    )
    await waiter


def labels(result):
    return [item.label for item in result.items]


async def test_a_passing_test_file_has_no_diagnostics(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flowtest"
    await open_test(client, path)
    assert list(client.diagnostics[uri(path)]) == []


async def test_mistakes_are_the_e6xx_of_flowc_test_in_utf16(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flowtest"
    text = path.read_text(encoding="utf-8").replace("output tag {", "output tga {")
    path.write_text(text, encoding="utf-8")
    await open_test(client, path, text)
    [d] = client.diagnostics[uri(path)]
    cli = json.loads(flowc("test", "--format", "json", str(path)).stdout)
    [expected] = [d for suite in cli["files"] for d in suite["diagnostics"]]
    assert (d.code, d.source) == ("E601", "flowc") == (expected["code"], "flowc")
    assert d.message == expected["message"] + "\n" + expected["help"]
    assert d.message == "the workflow has no step, `if` or block `tga`\ndid you mean `tag`?"
    assert d.range == span(text, "tga")
    # The case did not run: a file with mistakes is not run.
    assert d.severity == types.DiagnosticSeverity.Error


async def test_failures_come_on_open_and_save_and_go_on_change(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flowtest"
    text = path.read_text(encoding="utf-8").replace('"é🚀 200 7"', '"é🚀 200 8"')
    path.write_text(text, encoding="utf-8")
    await open_test(client, path, text)
    [d] = client.diagnostics[uri(path)]
    assert d.source == "flowc test"
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.message == (
        'case "a vip account is tagged" failed: step `alert`\'s input: at `text`: '
        'expected the string `"é🚀 200 8"`, got the string `"é🚀 200 7"`'
    )
    # On the expectation that did not hold, in UTF-16 after é and 🚀.
    assert d.range == span(text, 'expect input alert { channel: "#vip", text: "é🚀 200 8" }')
    # The run went to its end: no place in the workflow to show.
    assert d.related_information is None

    # A change: the failure's place is unknown until the next save.
    fixed = text.replace('"é🚀 200 8"', '"é🚀 200 7"')
    await change(client, path, 2, fixed)
    assert list(client.diagnostics[uri(path)]) == []
    broken = fixed.replace("expect ran [lookup, tag, alert]", "expect ran [lookup, alert]")
    await change(client, path, 3, broken)
    assert list(client.diagnostics[uri(path)]) == []
    await save(client, path, broken)
    [d] = client.diagnostics[uri(path)]
    assert d.message.startswith('case "a vip account is tagged" failed: ')
    assert d.range == span(broken, "expect ran [lookup, alert]")

    # A run that stops in the workflow points there too: `alert` reads
    # `tag.output.tag_id`, which the case's output of `tag` lacks.
    stops = fixed.replace("output tag { tag_id: 7 }", "output tag { id: 7 }")
    await change(client, path, 4, stops)
    await save(client, path, stops)
    [d] = client.diagnostics[uri(path)]
    assert d.message == (
        'case "a vip account is tagged" failed: step `alert`: `{{tag.output.tag_id}}`: '
        "`tag.output` (the step's `output` in the case) has no `tag_id`; it has `id`"
    )
    [related] = d.related_information
    flow = (project / "routing.flow").read_text(encoding="utf-8")
    assert related.location.uri == uri(project / "routing.flow")
    assert related.location.range == span(flow, "step alert")
    assert related.message == "the run stopped here"


async def test_the_open_workflow_is_the_one_tested(client, project):
    await client.initialize_session(initialize_params(project))
    test_path = project / "routing.flowtest"
    flow_path = project / "routing.flow"
    await open_test(client, test_path)
    flow = await open_file(client, flow_path)
    # Renaming the step in the editor, unsaved: the test file names a step
    # the workflow no longer has.
    renamed = flow.replace("step tag:", "step tags:").replace(
        "<<tag.output.tag_id>>", "<<tags.output.tag_id>>"
    )
    await change(client, flow_path, 2, renamed)
    await until(lambda: [d.code for d in client.diagnostics[uri(test_path)]] == ["E601", "E601"])
    test = test_path.read_text(encoding="utf-8")
    first, second = client.diagnostics[uri(test_path)]
    output_tag = position(test, "output tag", delta=7)
    assert (first.range.start, first.range.end) == (
        output_tag,
        types.Position(line=output_tag.line, character=output_tag.character + 3),
    )
    assert second.message == "the workflow has no step, `if` or block `tag`\ndid you mean `tags`?"
    # A workflow with errors: the test file's cases wait for it.
    await change(client, flow_path, 3, renamed.replace("trigger ticket-created", "trigger nope"))
    await until(
        lambda: [d.severity for d in client.diagnostics[uri(test_path)]]
        == [types.DiagnosticSeverity.Information]
    )
    [note] = client.diagnostics[uri(test_path)]
    assert note.message == "`routing.flow` has errors: its cases run once it has none"


async def test_a_test_file_without_its_workflow_is_e600(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "orphan.flowtest"
    text = 'test "nothing to test" {\n  expect fires true\n}\n'
    path.write_text(text, encoding="utf-8")
    await open_test(client, path, text)
    [d] = client.diagnostics[uri(path)]
    assert d.code == "E600"
    assert d.message == (
        "no workflow beside this test file: `orphan.flow` does not exist\n"
        "name the test file after its workflow: NAME.flowtest beside NAME.flow"
    )
    assert d.range == span(text, "test")


async def test_completion_of_step_ids_branches_and_words(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flowtest"
    text = 'test "new" {\n  output \n  expect input lo\n  expect ran [lookup, ]\n  expect branch if-1 \n  \n}\n'
    await open_test(client, path, text)

    async def complete(needle, delta):
        return await client.text_document_completion_async(
            types.CompletionParams(**where(path, position(text, needle, delta=delta)))
        )

    steps = ["lookup", "tag", "note", "alert"]
    assert labels(await complete("output ", 7)) == steps
    result = await complete("input lo", 8)
    assert labels(result) == steps
    # The word being typed is replaced.
    assert result.items[0].text_edit.range == span(text, "lo")
    assert result.items[0].kind == types.CompletionItemKind.Variable
    assert labels(await complete("[lookup, ", 9)) == ["tag", "note", "alert"]
    branches = await complete("if-1 ", 5)
    assert labels(branches) == ["then", "else"]
    assert branches.items[0].kind == types.CompletionItemKind.EnumMember
    words = await complete("  \n}", 2)
    assert labels(words) == ["event", "output", "choose", "expect"]


async def test_formatting_is_flowc_fmt(client, project):
    await client.initialize_session(initialize_params(project))
    path = project / "routing.flowtest"
    text = 'test "x" {\n      output lookup {status:200,}\n expect ran [lookup,tag,alert]\n}\n'
    path.write_text(text, encoding="utf-8")
    await open_test(client, path, text)
    [edit] = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    expected = flowc("fmt", "--check", str(path))
    formatted = 'test "x" {\n  output lookup { status: 200 }\n  expect ran [lookup, tag, alert]\n}\n'
    assert expected.returncode == 1
    assert edit.new_text == formatted
    # Requests about workflows have no answer in a test file, and no error.
    hover = await client.text_document_hover_async(
        types.HoverParams(**where(path, position(text, "lookup")))
    )
    assert hover is None
