// The Lawful extension: starts `lawful lsp` and shows the read-only documents it serves
// (the standard library, `lawful-stdlib:`, and each rule's page, `lawful-rule:`).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const path = vscode.workspace.getConfiguration("lawful").get("path") || "lawful";
  const server = { command: path, args: ["lsp"] };
  client = new LanguageClient(
    "lawful",
    "Lawful",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "lawful" },
        { scheme: "lawful-stdlib", language: "lawful" },
      ],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.lawful,lawful.toml}"),
      },
    }
  );
  const provider = {
    provideTextDocumentContent: async (uri) => {
      const reply = await client.sendRequest("lawful/content", { uri: uri.toString() });
      return reply.text;
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider("lawful-stdlib", provider),
    vscode.workspace.registerTextDocumentContentProvider("lawful-rule", provider)
  );
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
