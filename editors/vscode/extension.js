// Starts `flowc lsp` for .flow files: everything else (diagnostics,
// completion, hover, navigation, rename, formatting, quick fixes) comes
// from the server.
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
      documentSelector: [{ language: "flow" }],
      synchronize: {
        // The server re-reads the catalog when it changes (SPEC §8, §13).
        fileEvents: vscode.workspace.createFileSystemWatcher("**/flowc.toml"),
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
