//! `flowc lsp`: the language server of SPEC §13, a synchronous loop over the library's [`flowc::analysis`].
//!
//! Protocol types live here and nowhere else: the library answers in byte
//! offsets, and [`position`] converts them, in one place. Each document is
//! analysed once per version, lazily: changes that arrive together are
//! applied together, and diagnostics are published when no message waits.

mod flowtest;
mod position;
mod transport;

use flowc::analysis::{self, Analysis, ItemKind, SymbolKind as Kind};
use flowc::{Catalog, Diagnostic, Severity};
use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use position::{Encoding, Lines};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::TryRecvError;
use std::sync::{mpsc, Arc};
use transport::Incoming;

/// JSON-RPC and LSP error codes used here.
const INVALID_REQUEST: i32 = -32600;
const METHOD_NOT_FOUND: i32 = -32601;
const INVALID_PARAMS: i32 = -32602;
const INTERNAL_ERROR: i32 = -32603;
const NOT_INITIALIZED: i32 = -32002;
const REQUEST_FAILED: i32 = -32803;

/// A failed request: its error code and message.
type Failure = (i32, String);

/// Runs the server until `exit` or the end of its input; true when
/// `shutdown` came first (a clean exit).
pub fn run() -> bool {
    let rx = transport::reader();
    let mut server = Server::default();
    loop {
        let incoming = if server.docs.values().any(|d| d.unpublished) {
            match rx.try_recv() {
                Ok(incoming) => incoming,
                Err(TryRecvError::Empty) => {
                    server.publish_pending();
                    continue;
                }
                Err(TryRecvError::Disconnected) => return server.shut_down,
            }
        } else {
            match rx.recv() {
                Ok(incoming) => incoming,
                Err(_) => return server.shut_down,
            }
        };
        match incoming {
            Incoming::Invalid(response) => {
                let _ = transport::write(&response);
            }
            Incoming::Message(Message::Request(req)) => {
                let id = req.id.clone();
                let response = match std::panic::catch_unwind(AssertUnwindSafe(|| {
                    server.request(req)
                })) {
                    Ok(Ok(value)) => Response::new_ok(id, value),
                    Ok(Err((code, message))) => Response::new_err(id, code, message),
                    Err(_) => Response::new_err(
                        id,
                        INTERNAL_ERROR,
                        "flowc failed on this request; please report it with the document".into(),
                    ),
                };
                let _ = transport::send(&Message::Response(response));
            }
            Incoming::Message(Message::Notification(n)) => {
                if n.method == "exit" {
                    return server.shut_down;
                }
                // A notification has no answer: a failure is dropped, and
                // the document is read again from the next change.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| server.notification(n)));
            }
            // Answers to our own requests (registering the file watcher).
            Incoming::Message(Message::Response(_)) => {}
        }
    }
}

/// One open document.
struct Doc {
    text: String,
    version: i32,
    /// Bytes of a byte order mark at the start, which `check` skips.
    bom: usize,
    lines: Lines,
    /// The `flowc.toml` its catalog comes from.
    catalog: Option<PathBuf>,
    /// The analysis of the current text, once made.
    analysis: Option<Arc<Analysis>>,
    /// The latest analysis that had a syntax tree: completion reads what has
    /// run from it while the current text does not parse.
    last_tree: Option<Arc<Analysis>>,
    unpublished: bool,
    /// A `.flowtest` file (SPEC §15), checked against the workflow beside
    /// it rather than analysed as a workflow.
    test: Option<flowtest::TestDoc>,
}

impl Doc {
    fn position(&self, offset: usize) -> lsp::Position {
        self.lines.position(&self.text, offset + self.bom)
    }

    fn range(&self, span: flowc::Span) -> lsp::Range {
        lsp::Range::new(self.position(span.start), self.position(span.end))
    }

    fn offset(&self, position: lsp::Position) -> usize {
        self.lines
            .offset(&self.text, position)
            .saturating_sub(self.bom)
    }

    /// Takes the new text; returns the old analysis, for [`Graveyard`].
    fn set_text(&mut self, text: String, encoding: Encoding) -> Option<Arc<Analysis>> {
        self.bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        self.lines = Lines::new(&text, encoding);
        self.text = text;
        self.unpublished = true;
        self.analysis.take()
    }
}

/// A `flowc.toml` as read from disk.
struct Loaded {
    /// `None` when the file had mistakes (E505): the defaults apply.
    catalog: Option<Catalog>,
    text: String,
    diagnostics: Vec<Diagnostic>,
}

/// Frees old analyses on a thread of its own: dropping the tree of a large
/// document takes a tenth of the time it took to build, and nothing waits
/// for it.
struct Graveyard(Option<mpsc::Sender<Arc<Analysis>>>);

impl Default for Graveyard {
    fn default() -> Graveyard {
        let (tx, rx) = mpsc::channel::<Arc<Analysis>>();
        let spawned = std::thread::Builder::new()
            .name("flowc-drop".into())
            .spawn(move || rx.into_iter().for_each(drop));
        Graveyard(spawned.ok().map(|_| tx))
    }
}

impl Graveyard {
    fn bury(&self, analysis: Option<Arc<Analysis>>) {
        if let (Some(tx), Some(analysis)) = (&self.0, analysis) {
            // Without the thread, it is dropped here instead.
            let _ = tx.send(analysis);
        }
    }
}

#[derive(Default)]
struct Server {
    graveyard: Graveyard,
    initialized: bool,
    shut_down: bool,
    utf8: bool,
    watch_dynamically: bool,
    docs: HashMap<String, Doc>,
    catalogs: HashMap<PathBuf, Loaded>,
    /// `flowc.toml` files whose E505 diagnostics are shown.
    shown_catalogs: HashSet<PathBuf>,
    /// The workflows of open test documents, as last checked.
    workflows: flowtest::Workflows,
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| (INVALID_PARAMS, format!("invalid params: {e}")))
}

fn to_value(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| (INTERNAL_ERROR, e.to_string()))
}

fn notify(method: &str, params: impl serde::Serialize) {
    let _ = transport::send(&Message::Notification(Notification::new(
        method.to_string(),
        params,
    )));
}

impl Server {
    fn encoding(&self) -> Encoding {
        if self.utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    fn request(&mut self, req: Request) -> Result<Value, Failure> {
        if req.method == "initialize" {
            if self.initialized {
                return Err((INVALID_REQUEST, "the server is already initialized".into()));
            }
            return self.initialize(params(req.params)?);
        }
        if !self.initialized {
            return Err((NOT_INITIALIZED, "the server is not initialized yet".into()));
        }
        if self.shut_down {
            return Err((INVALID_REQUEST, "the server is shutting down".into()));
        }
        if let Some(answer) = self.test_request(&req)? {
            return Ok(answer);
        }
        match req.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/completion" => self.completion(params(req.params)?),
            "textDocument/hover" => self.hover(params(req.params)?),
            "textDocument/definition" => self.definition(params(req.params)?),
            "textDocument/references" => self.references(params(req.params)?),
            "textDocument/prepareRename" => self.prepare_rename(params(req.params)?),
            "textDocument/rename" => self.rename(params(req.params)?),
            "textDocument/documentSymbol" => self.symbols(params(req.params)?),
            "textDocument/formatting" => self.formatting(params(req.params)?),
            "textDocument/codeAction" => self.code_actions(params(req.params)?),
            method => Err((METHOD_NOT_FOUND, format!("unknown method `{method}`"))),
        }
    }

    fn initialize(&mut self, params: lsp::InitializeParams) -> Result<Value, Failure> {
        let caps = &params.capabilities;
        self.utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        self.watch_dynamically = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.initialized = true;
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(if self.utf8 {
                lsp::PositionEncodingKind::UTF8
            } else {
                lsp::PositionEncodingKind::UTF16
            }),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            completion_provider: Some(lsp::CompletionOptions {
                trigger_characters: Some(["<", "{", ".", " ", ":"].map(String::from).to_vec()),
                ..Default::default()
            }),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp::OneOf::Left(true)),
            references_provider: Some(lsp::OneOf::Left(true)),
            rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            document_symbol_provider: Some(lsp::OneOf::Left(true)),
            document_formatting_provider: Some(lsp::OneOf::Left(true)),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                    ..Default::default()
                },
            )),
            ..Default::default()
        };
        to_value(lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "flowc".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        })
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        match n.method.as_str() {
            "initialized" => self.watch_catalogs(),
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                let catalog =
                    uri_to_path(&flowtest::workflow_uri(&uri)).and_then(|p| catalog_path(&p));
                let mut doc = Doc {
                    text: String::new(),
                    version: p.text_document.version,
                    bom: 0,
                    lines: Lines::new("", self.encoding()),
                    catalog,
                    analysis: None,
                    last_tree: None,
                    unpublished: true,
                    test: flowtest::is_test_uri(&uri).then(flowtest::TestDoc::opened),
                };
                let _ = doc.set_text(p.text_document.text, self.encoding());
                self.workflow_changed(&uri, false);
                self.docs.insert(uri, doc);
                self.show_catalogs();
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let encoding = self.encoding();
                let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) else {
                    return;
                };
                let mut text = std::mem::take(&mut doc.text);
                for change in p.content_changes {
                    match change.range {
                        None => text = change.text,
                        Some(range) => {
                            // Each change is relative to the text after the
                            // previous one.
                            let lines = Lines::new(&text, encoding);
                            let start = lines.offset(&text, range.start);
                            let end = lines.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                    }
                }
                doc.version = p.text_document.version;
                if let Some(test) = &mut doc.test {
                    test.edited();
                }
                let old = doc.set_text(text, encoding);
                self.graveyard.bury(old);
                self.workflow_changed(p.text_document.uri.as_str(), false);
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                if self.docs.remove(p.text_document.uri.as_str()).is_some() {
                    publish(p.text_document.uri.as_str(), Vec::new(), None);
                    // A test file beside it reads the workflow from disk now.
                    self.workflow_changed(p.text_document.uri.as_str(), false);
                }
            }
            "textDocument/didSave" => {
                let Ok(p) = params::<lsp::DidSaveTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri.as_str();
                if is_catalog_uri(uri) {
                    self.reload_catalogs();
                }
                // A saved test file runs its cases, and so does the test
                // file of a saved workflow.
                if let Some(doc) = self.docs.get_mut(uri) {
                    if let Some(test) = &mut doc.test {
                        test.saved();
                        doc.unpublished = true;
                    }
                }
                self.workflow_changed(uri, true);
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = params::<lsp::DidChangeWatchedFilesParams>(n.params) else {
                    return;
                };
                if p.changes.iter().any(|c| is_catalog_uri(c.uri.as_str())) {
                    self.reload_catalogs();
                }
            }
            _ => {}
        }
    }

    /// Asks the client to tell us when any `flowc.toml` changes.
    fn watch_catalogs(&self) {
        if !self.watch_dynamically {
            return;
        }
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String("**/flowc.toml".into()),
                kind: None,
            }],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "flowc-catalogs".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let _ = transport::send(&Message::Request(Request::new(
            RequestId::from("flowc-register-watcher".to_string()),
            "client/registerCapability".into(),
            params,
        )));
    }

    /// Finds every document's catalog again and reads it afresh.
    fn reload_catalogs(&mut self) {
        self.catalogs.clear();
        self.workflows.clear();
        for (uri, doc) in &mut self.docs {
            doc.catalog = uri_to_path(uri).and_then(|p| catalog_path(&p));
            self.graveyard.bury(doc.analysis.take());
            doc.unpublished = true;
        }
        self.show_catalogs();
    }

    fn catalog(&mut self, path: Option<&Path>) -> Catalog {
        let Some(path) = path else {
            return Catalog::default();
        };
        let loaded = self.catalogs.entry(path.to_path_buf()).or_insert_with(|| {
            match std::fs::read_to_string(path) {
                Ok(text) => match Catalog::from_toml(&text) {
                    Ok(catalog) => Loaded {
                        catalog: Some(catalog),
                        text,
                        diagnostics: Vec::new(),
                    },
                    Err(diagnostics) => Loaded {
                        catalog: None,
                        text,
                        diagnostics,
                    },
                },
                // Unreadable (removed since): the defaults, as `check`
                // would have none.
                Err(_) => Loaded {
                    catalog: None,
                    text: String::new(),
                    diagnostics: Vec::new(),
                },
            }
        });
        loaded.catalog.clone().unwrap_or_default()
    }

    /// Publishes the E505 diagnostics of the catalogs in use, and clears
    /// those of catalogs fixed or no longer used.
    fn show_catalogs(&mut self) {
        let used: HashSet<PathBuf> = self
            .docs
            .values()
            .filter_map(|d| d.catalog.clone())
            .collect();
        for path in &used {
            self.catalog(Some(path));
        }
        let encoding = self.encoding();
        let mut shown = HashSet::new();
        for path in &used {
            let Some(loaded) = self.catalogs.get(path) else {
                continue;
            };
            if loaded.diagnostics.is_empty() {
                continue;
            }
            let lines = Lines::new(&loaded.text, encoding);
            let uri = path_to_uri(path);
            let diagnostics = loaded
                .diagnostics
                .iter()
                .map(|d| {
                    let range = |s: flowc::Span| lines.range(&loaded.text, s.start, s.end);
                    lsp_diagnostic(d, &uri, range)
                })
                .collect();
            publish(&uri, diagnostics, None);
            shown.insert(path.clone());
        }
        for gone in self.shown_catalogs.difference(&shown) {
            publish(&path_to_uri(gone), Vec::new(), None);
        }
        self.shown_catalogs = shown;
    }

    /// The current analysis of a document, made now if the text changed.
    fn analysis(&mut self, uri: &str) -> Result<(Arc<Analysis>, Option<Arc<Analysis>>), Failure> {
        let catalog_path = match self.docs.get(uri) {
            Some(doc) => doc.catalog.clone(),
            None => {
                return Err((
                    INVALID_PARAMS,
                    format!("unknown document `{uri}`: open it first"),
                ))
            }
        };
        let needs = self.docs[uri].analysis.is_none();
        if needs {
            let catalog = self.catalog(catalog_path.as_deref());
            let doc = self.docs.get_mut(uri).expect("present");
            let analysis = Arc::new(Analysis::new(&doc.text[doc.bom..], &catalog));
            if analysis.file().is_some() {
                let old = doc.last_tree.replace(analysis.clone());
                self.graveyard.bury(old);
            }
            doc.analysis = Some(analysis);
        }
        let doc = &self.docs[uri];
        Ok((doc.analysis.clone().expect("made"), doc.last_tree.clone()))
    }

    fn publish_pending(&mut self) {
        let pending: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.unpublished)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in pending {
            // Marked first: a document whose analysis fails is not tried
            // again until it changes, so the loop never spins on it.
            if let Some(doc) = self.docs.get_mut(&uri) {
                doc.unpublished = false;
            }
            let published = std::panic::catch_unwind(AssertUnwindSafe(|| {
                if self.docs[&uri].test.is_some() {
                    self.publish_test(&uri);
                    return Ok(());
                }
                let (analysis, _) = self.analysis(&uri)?;
                let doc = &self.docs[&uri];
                let diagnostics = analysis
                    .diagnostics()
                    .iter()
                    .map(|d| lsp_diagnostic(d, &uri, |s| doc.range(s)))
                    .collect();
                publish(&uri, diagnostics, Some(doc.version));
                Ok::<(), Failure>(())
            }));
            if published.is_err() {
                notify(
                    "window/logMessage",
                    lsp::LogMessageParams {
                        typ: lsp::MessageType::ERROR,
                        message: format!(
                            "flowc failed to check {uri}; please report it with the document"
                        ),
                    },
                );
            }
        }
    }

    fn doc(&self, uri: &str) -> &Doc {
        &self.docs[uri]
    }

    fn completion(&mut self, p: lsp::CompletionParams) -> Result<Value, Failure> {
        let uri = p.text_document_position.text_document.uri.as_str();
        let (analysis, last_tree) = self.analysis(uri)?;
        let doc = self.doc(uri);
        let offset = doc.offset(p.text_document_position.position);
        let fallback = last_tree.as_deref().filter(|_| analysis.file().is_none());
        Self::completion_list(doc, analysis.completion(offset, fallback))
    }

    fn completion_list(doc: &Doc, completion: analysis::Completion) -> Result<Value, Failure> {
        let range = doc.range(completion.replace);
        let items: Vec<lsp::CompletionItem> = completion
            .items
            .into_iter()
            .enumerate()
            .map(|(i, item)| lsp::CompletionItem {
                kind: Some(match item.kind {
                    ItemKind::Trigger => lsp::CompletionItemKind::EVENT,
                    ItemKind::ActionType => lsp::CompletionItemKind::CLASS,
                    ItemKind::Input => lsp::CompletionItemKind::PROPERTY,
                    ItemKind::Step | ItemKind::MaybeStep => lsp::CompletionItemKind::VARIABLE,
                    ItemKind::Root => lsp::CompletionItemKind::MODULE,
                    ItemKind::Field => lsp::CompletionItemKind::FIELD,
                    ItemKind::Operator => lsp::CompletionItemKind::OPERATOR,
                    ItemKind::Operation => lsp::CompletionItemKind::FUNCTION,
                    ItemKind::Block => lsp::CompletionItemKind::STRUCT,
                    ItemKind::Branch => lsp::CompletionItemKind::ENUM_MEMBER,
                    ItemKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                }),
                label_details: (item.kind == ItemKind::MaybeStep).then(|| {
                    lsp::CompletionItemLabelDetails {
                        detail: None,
                        description: Some("may not have run".into()),
                    }
                }),
                detail: Some(item.detail),
                sort_text: Some(format!("{i:05}")),
                text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                    range,
                    new_text: item.label.clone(),
                })),
                label: item.label,
                ..Default::default()
            })
            .collect();
        to_value(lsp::CompletionResponse::List(lsp::CompletionList {
            is_incomplete: false,
            items,
        }))
    }

    fn hover(&mut self, p: lsp::HoverParams) -> Result<Value, Failure> {
        let uri = p.text_document_position_params.text_document.uri.as_str();
        let (analysis, _) = self.analysis(uri)?;
        let doc = self.doc(uri);
        let offset = doc.offset(p.text_document_position_params.position);
        to_value(analysis.hover(offset).map(|(span, text)| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text,
            }),
            range: Some(doc.range(span)),
        }))
    }

    fn location(&self, uri: &lsp::Uri, span: flowc::Span) -> lsp::Location {
        lsp::Location::new(uri.clone(), self.doc(uri.as_str()).range(span))
    }

    fn definition(&mut self, p: lsp::GotoDefinitionParams) -> Result<Value, Failure> {
        let uri = &p.text_document_position_params.text_document.uri;
        let (analysis, _) = self.analysis(uri.as_str())?;
        let offset = self
            .doc(uri.as_str())
            .offset(p.text_document_position_params.position);
        to_value(
            analysis
                .definition_at(offset)
                .map(|d| lsp::GotoDefinitionResponse::Scalar(self.location(uri, d.span))),
        )
    }

    fn references(&mut self, p: lsp::ReferenceParams) -> Result<Value, Failure> {
        let uri = &p.text_document_position.text_document.uri;
        let (analysis, _) = self.analysis(uri.as_str())?;
        let offset = self
            .doc(uri.as_str())
            .offset(p.text_document_position.position);
        let Some((def, uses)) = analysis.occurrences_at(offset) else {
            return Ok(Value::Null);
        };
        let mut locations = Vec::new();
        if p.context.include_declaration {
            if let Some(d) = def {
                locations.push(self.location(uri, d.span));
            }
        }
        locations.extend(uses.into_iter().map(|s| self.location(uri, s)));
        to_value(locations)
    }

    fn prepare_rename(&mut self, p: lsp::TextDocumentPositionParams) -> Result<Value, Failure> {
        let uri = p.text_document.uri.as_str();
        let (analysis, _) = self.analysis(uri)?;
        let doc = self.doc(uri);
        let (span, id) = analysis
            .prepare_rename(doc.offset(p.position))
            .map_err(|e| (REQUEST_FAILED, e.0))?;
        to_value(lsp::PrepareRenameResponse::RangeWithPlaceholder {
            range: doc.range(span),
            placeholder: id,
        })
    }

    fn rename(&mut self, p: lsp::RenameParams) -> Result<Value, Failure> {
        let uri = &p.text_document_position.text_document.uri;
        let (analysis, _) = self.analysis(uri.as_str())?;
        let doc = self.doc(uri.as_str());
        let edits = analysis
            .rename(doc.offset(p.text_document_position.position), &p.new_name)
            .map_err(|e| (REQUEST_FAILED, e.0))?;
        to_value(workspace_edit(uri, doc, edits))
    }

    fn symbols(&mut self, p: lsp::DocumentSymbolParams) -> Result<Value, Failure> {
        let uri = p.text_document.uri.as_str();
        let (analysis, _) = self.analysis(uri)?;
        let doc = self.doc(uri);
        let symbols: Vec<lsp::DocumentSymbol> =
            analysis.symbols().iter().map(|s| symbol(doc, s)).collect();
        to_value(lsp::DocumentSymbolResponse::Nested(symbols))
    }

    fn formatting(&mut self, p: lsp::DocumentFormattingParams) -> Result<Value, Failure> {
        let uri = p.text_document.uri.as_str();
        let (analysis, _) = self.analysis(uri)?;
        let doc = self.doc(uri);
        let edits = match analysis.formatted() {
            Some(text) => vec![lsp::TextEdit {
                range: doc.range(flowc::Span::new(0, analysis.source().len())),
                new_text: text,
            }],
            None => Vec::new(),
        };
        to_value(edits)
    }

    fn code_actions(&mut self, p: lsp::CodeActionParams) -> Result<Value, Failure> {
        let uri = &p.text_document.uri;
        let (analysis, _) = self.analysis(uri.as_str())?;
        let doc = self.doc(uri.as_str());
        let range = flowc::Span::new(doc.offset(p.range.start), doc.offset(p.range.end));
        let actions: Vec<lsp::CodeActionOrCommand> = analysis
            .fixes(range)
            .into_iter()
            .map(|fix| {
                let d = &analysis.diagnostics()[fix.diagnostic];
                lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: fix.title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diagnostic(d, uri.as_str(), |s| doc.range(s))]),
                    edit: Some(workspace_edit(uri, doc, fix.edits)),
                    is_preferred: Some(fix.preferred),
                    ..Default::default()
                })
            })
            .collect();
        to_value(actions)
    }
}

fn workspace_edit(uri: &lsp::Uri, doc: &Doc, edits: Vec<analysis::Edit>) -> lsp::WorkspaceEdit {
    let edits = edits
        .into_iter()
        .map(|e| lsp::TextEdit {
            range: doc.range(e.span),
            new_text: e.text,
        })
        .collect();
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn symbol(doc: &Doc, s: &analysis::Symbol) -> lsp::DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a field every constructor must fill.
    lsp::DocumentSymbol {
        name: if s.name.is_empty() {
            "\"\"".into()
        } else {
            s.name.clone()
        },
        detail: s.detail.clone(),
        kind: match s.kind {
            Kind::Workflow => lsp::SymbolKind::MODULE,
            Kind::Header => lsp::SymbolKind::PROPERTY,
            Kind::Step => lsp::SymbolKind::FUNCTION,
            Kind::If => lsp::SymbolKind::OPERATOR,
            Kind::Branch => lsp::SymbolKind::NAMESPACE,
            Kind::Block => lsp::SymbolKind::STRUCT,
            Kind::Raw => lsp::SymbolKind::OBJECT,
        },
        tags: None,
        deprecated: None,
        range: doc.range(s.span),
        selection_range: doc.range(s.selection),
        children: Some(s.children.iter().map(|c| symbol(doc, c)).collect()),
    }
}

/// A diagnostic as the protocol has it: the code, `flowc` as its source,
/// the help on a line of its own, secondary labels as related information.
fn lsp_diagnostic(
    d: &Diagnostic,
    uri: &str,
    range: impl Fn(flowc::Span) -> lsp::Range,
) -> lsp::Diagnostic {
    let mut message = d.message.to_string();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help);
    }
    let uri: Option<lsp::Uri> = uri.parse().ok();
    let related: Vec<lsp::DiagnosticRelatedInformation> = match &uri {
        Some(uri) => d
            .secondary
            .iter()
            .map(|l| lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri.clone(), range(l.span)),
                message: l.message.to_string(),
            })
            .collect(),
        None => Vec::new(),
    };
    lsp::Diagnostic {
        range: range(d.span),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("flowc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn publish(uri: &str, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
    let Ok(uri) = uri.parse::<lsp::Uri>() else {
        return;
    };
    notify(
        "textDocument/publishDiagnostics",
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    );
}

fn is_catalog_uri(uri: &str) -> bool {
    uri.ends_with("/flowc.toml")
}

/// The `flowc.toml` SPEC §8 finds for a document: beside it or in the
/// nearest parent folder.
fn catalog_path(document: &Path) -> Option<PathBuf> {
    crate::catalogs::find(document.parent()?)
}

/// The path of a `file:` URI, percent-decoded.
fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(out).ok()?;
    path.starts_with('/').then(|| PathBuf::from(path))
}

/// A `file:` URI for a path, percent-encoding what a URI path may not hold.
fn path_to_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/é.flow");
        let uri = path_to_uri(path);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%A9.flow");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        assert_eq!(uri_to_path("untitled:Untitled-1"), None);
        assert_eq!(uri_to_path("file:///x%2"), Some(PathBuf::from("/x%2")));
    }
}
