//! Handlers for hover, references, highlights, definition and rename: byte spans → positions.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent, MarkupKind,
    PrepareRenameResponse, Range, ReferenceParams, RenameParams, TextDocumentPositionParams,
    TextEdit, Uri, WorkspaceEdit,
};

use super::encoding::{position_to_offset, ranges_of, span_to_range, PositionEncoding};
use super::feature_state::{context_as_sent, FeatureContext};
use super::server::Backend;
use crate::analysis::Span;
use crate::features::{hover, navigation};

/// The analysis of the text the client sent the request about and the request's byte offset
/// in it (see [`context_as_sent`]: every handler here calls this before its first await).
async fn at(
    backend: &Backend,
    position: &TextDocumentPositionParams,
) -> Option<(FeatureContext, usize)> {
    let context = context_as_sent(
        &backend.documents,
        &backend.features,
        &position.text_document.uri,
    )
    .await?;
    let offset = position_to_offset(
        &context.analysed.rope,
        position.position,
        backend.encoding(),
    );
    Some((context, offset))
}

pub async fn hover(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let Some((context, offset)) = at(backend, &params.text_document_position_params).await else {
        return Ok(None);
    };
    let (config, _) = backend
        .features
        .config_for(&params.text_document_position_params.text_document.uri);
    let card = hover::hover(&context.article(), &config.register, offset);
    Ok(card.map(|card| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: card.markdown,
        }),
        range: Some(span_to_range(
            &context.analysed.rope,
            card.span,
            backend.encoding(),
        )),
    }))
}

pub async fn references(
    backend: &Backend,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>> {
    let uri = params.text_document_position.text_document.uri.clone();
    let Some((context, offset)) = at(backend, &params.text_document_position).await else {
        return Ok(None);
    };
    Ok(Some(
        reference_ranges(&context, offset, backend.encoding())
            .into_iter()
            .map(|range| Location::new(uri.clone(), range))
            .collect(),
    ))
}

pub async fn highlight(
    backend: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let Some((context, offset)) = at(backend, &params.text_document_position_params).await else {
        return Ok(None);
    };
    Ok(Some(
        reference_ranges(&context, offset, backend.encoding())
            .into_iter()
            .map(|range| DocumentHighlight {
                range,
                kind: Some(DocumentHighlightKind::TEXT),
            })
            .collect(),
    ))
}

/// The ranges of every mention of the entity at `offset` (references and highlights).
fn reference_ranges(
    context: &FeatureContext,
    offset: usize,
    encoding: PositionEncoding,
) -> Vec<Range> {
    let spans = navigation::references(&context.article(), offset);
    ranges_of(
        &context.analysed.rope,
        &context.analysed.text,
        &spans,
        encoding,
    )
}

pub async fn definition(
    backend: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let uri = params
        .text_document_position_params
        .text_document
        .uri
        .clone();
    let Some((context, offset)) = at(backend, &params.text_document_position_params).await else {
        return Ok(None);
    };
    Ok(
        navigation::definition(&context.article(), offset).map(|span| {
            GotoDefinitionResponse::Scalar(Location::new(
                uri,
                span_to_range(&context.analysed.rope, span, backend.encoding()),
            ))
        }),
    )
}

fn refused(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub async fn prepare_rename(
    backend: &Backend,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((context, offset)) = at(backend, &params).await else {
        return Ok(None);
    };
    match navigation::prepare_rename(&context.article(), offset) {
        Ok((span, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: span_to_range(&context.analysed.rope, span, backend.encoding()),
            placeholder,
        })),
        Err(navigation::RenameRefused(message)) => Err(refused(message)),
    }
}

pub async fn rename(backend: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let uri: Uri = params.text_document_position.text_document.uri.clone();
    let Some((context, offset)) = at(backend, &params.text_document_position).await else {
        return Ok(None);
    };
    let edits = navigation::rename(&context.article(), offset, &params.new_name)
        .map_err(|navigation::RenameRefused(message)| refused(message))?;
    let encoding = backend.encoding();
    let spans: Vec<Span> = edits.iter().map(|e| e.span).collect();
    let edits = edits
        .into_iter()
        .zip(ranges_of(
            &context.analysed.rope,
            &context.analysed.text,
            &spans,
            encoding,
        ))
        .map(|(e, range)| TextEdit::new(range, e.new_text))
        .collect();
    Ok(Some(WorkspaceEdit {
        changes: Some(HashMap::from([(uri, edits)])),
        ..WorkspaceEdit::default()
    }))
}
