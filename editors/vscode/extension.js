// Starts `flowc lsp` for .flow and .flowtest files: everything else
// (diagnostics, completion, hover, navigation, rename, formatting, quick
// fixes) comes from the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const command = vscode.workspace.getConfiguration("flowc").get("path") || "flowc";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "flowc",
    "flowc",
    { run: server, debug: server },
    {
      // A test file (SPEC §15) goes to the same server as its workflow.
      documentSelector: [{ language: "flow" }, { language: "flowtest" }],
      synchronize: {
        // The server re-reads the catalog when it changes (SPEC §8, §13),
        // and hears of test files changed outside the editor.
        fileEvents: [
          vscode.workspace.createFileSystemWatcher("**/flowc.toml"),
          vscode.workspace.createFileSystemWatcher("**/*.flowtest"),
        ],
      },
    },
  );
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("flowc.path")) {
        if (client) {
          await client.stop();
        }
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
