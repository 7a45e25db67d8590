//! Handlers for the outline (document symbols) and workspace symbols over every open article.
//!
//! The SymbolKind of each outline node is chosen in one place, [`symbol_kind`]; the table with
//! the reasons is in `features::outline`.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Location, Range,
    SymbolInformation, SymbolKind, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use std::cell::Cell;

use ropey::Rope;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use super::encoding::{ranges_of, span_to_range, PositionEncoding};
use super::feature_state::{context, context_of, FeatureContext};
use super::raw_response;
use super::server::Backend;
use crate::analysis::{EntityKind, Span};
use crate::features::outline::{outline, OutlineKind, OutlineNode};
use crate::features::workspace_symbols::workspace_symbols;

/// The SymbolKind shown for an outline node (see the table in `features::outline`).
pub fn symbol_kind(kind: OutlineKind) -> SymbolKind {
    match kind {
        OutlineKind::Article => SymbolKind::FILE,
        OutlineKind::Section => SymbolKind::NAMESPACE,
        OutlineKind::Byline => SymbolKind::PROPERTY,
        OutlineKind::Lede | OutlineKind::Paragraph => SymbolKind::STRING,
        OutlineKind::Group => SymbolKind::PACKAGE,
        OutlineKind::Person => SymbolKind::OBJECT,
        OutlineKind::Organization | OutlineKind::InstitutionalSource => SymbolKind::STRUCT,
        OutlineKind::Place => SymbolKind::CONSTANT,
        OutlineKind::Other => SymbolKind::KEY,
        OutlineKind::AnonymousSource => SymbolKind::VARIABLE,
        OutlineKind::Quotation => SymbolKind::EVENT,
    }
}

fn entity_symbol_kind(kind: EntityKind) -> SymbolKind {
    symbol_kind(match kind {
        EntityKind::Person => OutlineKind::Person,
        EntityKind::Organization => OutlineKind::Organization,
        EntityKind::Location => OutlineKind::Place,
        EntityKind::Misc => OutlineKind::Other,
    })
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be named to build one
fn to_symbol(node: OutlineNode, rope: &Rope, encoding: PositionEncoding) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = node
        .children
        .into_iter()
        .map(|c| to_symbol(c, rope, encoding))
        .collect();
    DocumentSymbol {
        name: if node.name.is_empty() {
            "(empty)".into()
        } else {
            node.name
        },
        detail: node.detail,
        kind: symbol_kind(node.kind),
        tags: None,
        deprecated: None,
        range: span_to_range(rope, node.span, encoding),
        selection_range: span_to_range(rope, node.selection, encoding),
        children: if children.is_empty() {
            None
        } else {
            Some(children)
        },
    }
}

pub async fn document_symbols(
    backend: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(context) = context(&backend.documents, &params.text_document.uri).await else {
        return Ok(None);
    };
    let nodes = outline(&context.article());
    let encoding = backend.encoding();
    let rope = context.analysed.rope.clone();
    let text = std::sync::Arc::clone(&context.analysed.text);
    drop(context);
    // Written as JSON straight from the outline, in pieces, when the server runs behind
    // `raw_response::RawResponses`: neither the `DocumentSymbol` tree (≈ 2 MB for a 1 MB
    // article), nor the `serde_json::Value` tree tower-lsp-server would build, nor the JSON
    // (4 MB) is held whole.
    let json = OwnedSymbols::new(nodes, &rope, &text, encoding);
    match raw_response::answer_streamed(json) {
        Ok(()) => Ok(None),
        Err(json) => Ok(Some(DocumentSymbolResponse::Nested(
            json.nodes
                .into_iter()
                .map(|n| to_symbol(n, &rope, encoding))
                .collect(),
        ))),
    }
}

/// The outline with every node's range and selection range converted to positions once, in
/// pre-order: converting is most of the cost of writing its JSON, and
/// `raw_response::answer_streamed` writes it twice.
struct OwnedSymbols {
    nodes: Vec<OutlineNode>,
    ranges: Vec<[Range; 2]>,
}

impl OwnedSymbols {
    fn new(nodes: Vec<OutlineNode>, rope: &Rope, text: &str, encoding: PositionEncoding) -> Self {
        fn spans(nodes: &[OutlineNode], out: &mut Vec<Span>) {
            for node in nodes {
                out.push(node.span);
                out.push(node.selection);
                spans(&node.children, out);
            }
        }
        let mut all = Vec::new();
        spans(&nodes, &mut all);
        let ranges = ranges_of(rope, text, &all, encoding)
            .chunks_exact(2)
            .map(|r| [r[0], r[1]])
            .collect();
        OwnedSymbols { nodes, ranges }
    }
}

impl Serialize for OwnedSymbols {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        Symbols {
            nodes: &self.nodes,
            ranges: &self.ranges,
            next: &Cell::new(0),
        }
        .serialize(serializer)
    }
}

/// Outline nodes serialised exactly as the [`DocumentSymbol`]s [`to_symbol`] makes of them
/// (`DocumentSymbolResponse::Nested`), without making them; `ranges` are the nodes' converted
/// ranges in pre-order from `next` on.
struct Symbols<'a> {
    nodes: &'a [OutlineNode],
    ranges: &'a [[Range; 2]],
    next: &'a Cell<usize>,
}

impl Serialize for Symbols<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.nodes.len()))?;
        for node in self.nodes {
            seq.serialize_element(&Symbol { node, of: self })?;
        }
        seq.end()
    }
}

/// One node as its [`DocumentSymbol`] (same fields, order and omissions).
struct Symbol<'a> {
    node: &'a OutlineNode,
    of: &'a Symbols<'a>,
}

impl Serialize for Symbol<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let node = self.node;
        let at = self.of.next.get();
        self.of.next.set(at + 1);
        let [range, selection] = self.of.ranges.get(at).copied().unwrap_or_default();
        let mut st = serializer.serialize_struct("DocumentSymbol", 8)?;
        let name = if node.name.is_empty() {
            "(empty)"
        } else {
            &node.name
        };
        st.serialize_field("name", name)?;
        match &node.detail {
            Some(detail) => st.serialize_field("detail", detail)?,
            None => st.skip_field("detail")?,
        }
        st.serialize_field("kind", &symbol_kind(node.kind))?;
        st.skip_field("tags")?;
        st.skip_field("deprecated")?;
        st.serialize_field("range", &range)?;
        st.serialize_field("selectionRange", &selection)?;
        if node.children.is_empty() {
            st.skip_field("children")?;
        } else {
            let children = Symbols {
                nodes: &node.children,
                ..*self.of
            };
            st.serialize_field("children", &children)?;
        }
        st.end()
    }
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must be named to build one
pub async fn workspace(
    backend: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    // Whatever analysis is ready for each open article: a search should not wait on typing.
    let mut contexts: Vec<(usize, FeatureContext)> = Vec::new();
    let mut uris = backend.documents.uris();
    uris.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    for (i, uri) in uris.iter().enumerate() {
        let language_id = backend
            .documents
            .snapshot(uri)
            .map(|s| s.language_id)
            .unwrap_or_default();
        if let Some(analysed) = backend.documents.latest_analysis(uri) {
            contexts.push((i, context_of(uri, &language_id, analysed)));
        }
    }
    let articles: Vec<(usize, crate::features::Article)> =
        contexts.iter().map(|(i, c)| (*i, c.article())).collect();
    let hits = workspace_symbols(&params.query, articles.iter().map(|(i, a)| (*i, a)));
    let encoding = backend.encoding();
    let symbols = hits
        .into_iter()
        .filter_map(|hit| {
            let (_, context) = contexts.iter().find(|(i, _)| *i == hit.key)?;
            let uri = uris.get(hit.key)?.clone();
            Some(SymbolInformation {
                name: hit.name,
                kind: entity_symbol_kind(hit.kind),
                tags: None,
                deprecated: None,
                location: Location::new(
                    uri,
                    span_to_range(&context.analysed.rope, hit.span, encoding),
                ),
                container_name: Some(hit.container),
            })
        })
        .collect();
    Ok(Some(WorkspaceSymbolResponse::Flat(symbols)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::model::Span;

    fn node(
        name: &str,
        detail: Option<&str>,
        at: usize,
        children: Vec<OutlineNode>,
    ) -> OutlineNode {
        OutlineNode {
            name: name.into(),
            detail: detail.map(Into::into),
            kind: OutlineKind::Paragraph,
            span: Span::new(at, at + 4),
            selection: Span::new(at + 1, at + 2),
            children,
        }
    }

    /// The JSON written straight from the outline is byte for byte that of the symbols.
    #[test]
    fn streamed_symbols_are_the_symbols_json() {
        let text = "Zoë “said” it.\nNew line 😀 here and more text.";
        let rope = Rope::from_str(text);
        let nodes = vec![
            node("", None, 0, vec![]),
            node(
                "Article",
                Some("2 paragraphs"),
                2,
                vec![
                    node("Zoë", Some("x"), 9, vec![]),
                    node("b", None, 20, vec![]),
                ],
            ),
        ];
        for encoding in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            let streamed =
                serde_json::to_string(&OwnedSymbols::new(nodes.clone(), &rope, text, encoding))
                    .unwrap();
            let built = DocumentSymbolResponse::Nested(
                nodes
                    .clone()
                    .into_iter()
                    .map(|n| to_symbol(n, &rope, encoding))
                    .collect(),
            );
            assert_eq!(streamed, serde_json::to_string(&built).unwrap());
        }
    }
}
