//! Handlers for code actions, inlay hints, semantic tokens and folding ranges.

use std::collections::HashMap;

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    FoldingRange, FoldingRangeKind, FoldingRangeParams, InlayHint, InlayHintLabel, InlayHintParams,
    InlayHintTooltip, SemanticToken, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
    SemanticTokensParams, SemanticTokensRangeParams, SemanticTokensRangeResult,
    SemanticTokensResult, TextEdit, Uri, WorkspaceEdit,
};

use super::encoding::{
    offset_to_position, range_to_span, ranges_of, span_to_range, PositionCursor, PositionEncoding,
};
use super::feature_diagnostics::to_lsp;
use super::feature_state::context;
use super::server::Backend;
use crate::analysis::Span;
use crate::features::actions::{code_actions, ActionKind};
use crate::features::folding::{folding_ranges, FoldKind};
use crate::features::inlay::inlay_hints;
use crate::features::semantic::{semantic_tokens, LEGEND};

/// The semantic token legend the server advertises.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: LEGEND.iter().map(|t| SemanticTokenType::new(t)).collect(),
        token_modifiers: Vec::new(),
    }
}

fn action_kind(kind: ActionKind) -> CodeActionKind {
    match kind {
        ActionKind::QuickFix => CodeActionKind::QUICKFIX,
        ActionKind::Refactor => CodeActionKind::REFACTOR_REWRITE,
        ActionKind::Source => CodeActionKind::SOURCE,
    }
}

fn edits(
    uri: &Uri,
    rope: &Rope,
    encoding: PositionEncoding,
    edits: Vec<crate::features::edit::TextEdit>,
) -> WorkspaceEdit {
    let edits = edits
        .into_iter()
        .map(|e| TextEdit::new(span_to_range(rope, e.span, encoding), e.new_text))
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

pub async fn code_action(
    backend: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some(context) = context(&backend.documents, &uri).await else {
        return Ok(None);
    };
    let encoding = backend.encoding();
    let rope = &context.analysed.rope;
    let (config, _) = backend.features.config_for(&uri);
    let range = range_to_span(rope, params.range, encoding);
    let only = params.context.only.unwrap_or_default();
    let actions = code_actions(&context.article(), &config, range)
        .into_iter()
        .filter_map(|action| {
            let kind = action_kind(action.kind);
            let wanted =
                only.is_empty() || only.iter().any(|o| kind.as_str().starts_with(o.as_str()));
            wanted.then(|| {
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: action.title,
                    kind: Some(kind),
                    diagnostics: action
                        .diagnostic
                        .map(|d| vec![to_lsp(&d, rope, encoding, &config.rules_url)]),
                    edit: Some(edits(&uri, rope, encoding, action.edits)),
                    is_preferred: action.preferred.then_some(true),
                    ..CodeAction::default()
                })
            })
        })
        .collect();
    Ok(Some(actions))
}

pub async fn inlay_hint(
    backend: &Backend,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    let Some(context) = context(&backend.documents, &params.text_document.uri).await else {
        return Ok(None);
    };
    let encoding = backend.encoding();
    let rope = &context.analysed.rope;
    let range = range_to_span(rope, params.range, encoding);
    let hints = inlay_hints(&context.article(), range)
        .into_iter()
        .map(|hint| InlayHint {
            position: offset_to_position(rope, hint.offset, encoding),
            label: InlayHintLabel::String(hint.label),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(hint.tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect();
    Ok(Some(hints))
}

/// Tokens in LSP's relative encoding; tokens never cross lines (the features split them).
fn encode(
    rope: &Rope,
    text: &str,
    tokens: &[crate::features::semantic::SemanticToken],
    encoding: PositionEncoding,
) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(tokens.len());
    let (mut line, mut column) = (0u32, 0u32);
    // Tokens come in document order: one cursor converts them all in a pass.
    let mut positions = PositionCursor::new(rope, text, encoding);
    for token in tokens {
        let start = positions.position(token.span.start);
        let end = positions.position(token.span.end);
        if end.line != start.line || end.character <= start.character {
            continue;
        }
        let delta_line = start.line - line;
        let delta_start = if delta_line == 0 {
            start.character - column
        } else {
            start.character
        };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: token.kind as u32,
            token_modifiers_bitset: 0,
        });
        line = start.line;
        column = start.character;
    }
    out
}

pub async fn semantic_tokens_full(
    backend: &Backend,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let Some(context) = context(&backend.documents, &params.text_document.uri).await else {
        return Ok(None);
    };
    let all = Span::new(0, context.text.len());
    let tokens = semantic_tokens(&context.article(), all);
    let data = encode(
        &context.analysed.rope,
        &context.analysed.text,
        &tokens,
        backend.encoding(),
    );
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}

pub async fn semantic_tokens_range(
    backend: &Backend,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    let Some(context) = context(&backend.documents, &params.text_document.uri).await else {
        return Ok(None);
    };
    let encoding = backend.encoding();
    let range = range_to_span(&context.analysed.rope, params.range, encoding);
    let tokens = semantic_tokens(&context.article(), range);
    let data = encode(
        &context.analysed.rope,
        &context.analysed.text,
        &tokens,
        encoding,
    );
    Ok(Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}

pub async fn folding_range(
    backend: &Backend,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some(context) = context(&backend.documents, &params.text_document.uri).await else {
        return Ok(None);
    };
    let encoding = backend.encoding();
    let rope = &context.analysed.rope;
    let folds = folding_ranges(&context.article());
    let spans: Vec<Span> = folds.iter().map(|fold| fold.span).collect();
    let folds = folds
        .into_iter()
        .zip(ranges_of(rope, &context.analysed.text, &spans, encoding))
        .filter(|(_, range)| range.end.line > range.start.line)
        .map(|(fold, range)| FoldingRange {
            start_line: range.start.line,
            start_character: None,
            end_line: range.end.line,
            end_character: None,
            kind: Some(FoldingRangeKind::Region),
            collapsed_text: Some(match fold.kind {
                FoldKind::Quotation => "“…”".into(),
                FoldKind::Section => crate::features::article::first_words(
                    context
                        .article()
                        .slice(context.article().line_span(fold.span.start)),
                    8,
                ),
            }),
        })
        .collect();
    Ok(Some(folds))
}
