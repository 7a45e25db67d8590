//! What the feature handlers keep between requests: settings, workspace roots, recent edits.
//!
//! Configuration is resolved per document on each use (LSP settings, then the nearest
//! `.copydesk.toml` under the workspace root), so an edited config file takes effect on the next
//! request without a file watcher. The last edit per document feeds the "don't nag while
//! typing" filter in `features::quiet`.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use dashmap::DashMap;
use tower_lsp_server::ls_types::{InitializeParams, Uri};
use tracing::{debug, error};

use super::documents::{Analysed, Documents};
use super::size_limit;
use crate::analysis::{analyze_with, Analysis};
use crate::config::file::{self, LoadedFile};
use crate::config::{Config, Settings};
use crate::features::quiet::{paragraph_under_edit, Typing};
use crate::features::{Article, Language};

/// A document's text and analysis, ready for a feature.
#[derive(Debug, Clone)]
pub struct FeatureContext {
    pub analysed: Analysed,
    pub text: Arc<str>,
    pub language: Language,
}

impl FeatureContext {
    pub fn article(&self) -> Article<'_> {
        Article::new(&self.text, &self.analysed.analysis, self.language)
    }
}

/// State shared by the feature handlers.
#[derive(Debug, Default)]
pub struct FeatureState {
    settings: RwLock<Settings>,
    roots: RwLock<Vec<PathBuf>>,
    /// When each document was last edited, and the byte offset the edit ended at.
    last_edit: DashMap<Uri, (Instant, usize)>,
    /// The error last published for each configuration file (`None`: published clean).
    config_errors: Mutex<HashMap<PathBuf, Option<String>>>,
}

impl FeatureState {
    /// Takes workspace roots and `initializationOptions`; the error is for `window/showMessage`.
    pub fn initialize(&self, params: &InitializeParams) -> Result<(), String> {
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(path) = params.root_uri.as_ref().and_then(|uri| uri.to_file_path()) {
                roots.push(path.into_owned());
            }
        }
        if let Ok(mut slot) = self.roots.write() {
            *slot = roots;
        }
        match &params.initialization_options {
            Some(options) => self.set_settings(options),
            None => Ok(()),
        }
    }

    /// New LSP settings (`didChangeConfiguration`); bad settings are refused whole. `null` (what
    /// a client sends when it only signals "something changed") keeps the current settings.
    pub fn set_settings(&self, value: &serde_json::Value) -> Result<(), String> {
        if value.is_null() {
            return Ok(());
        }
        let settings = Settings::from_json(value)?;
        if let Ok(mut slot) = self.settings.write() {
            *slot = settings;
        }
        Ok(())
    }

    fn root_for(&self, path: &Path) -> Option<PathBuf> {
        let roots = self.roots.read().ok()?;
        roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.as_os_str().len())
            .cloned()
    }

    /// The configuration for a document, and the configuration file it came from.
    pub fn config_for(&self, uri: &Uri) -> (Config, Option<LoadedFile>) {
        let settings = self.settings.read().map(|s| s.clone()).unwrap_or_default();
        let loaded = uri.to_file_path().and_then(|path| {
            let root = self.root_for(&path);
            file::load_for(&path, root.as_deref())
        });
        let file_settings = loaded
            .as_ref()
            .map(LoadedFile::settings)
            .unwrap_or_default();
        (Config::resolve([&settings, &file_settings]), loaded)
    }

    /// Whether the configuration file's state changed since it was last published (and record
    /// it as published).
    pub fn config_error_changed(&self, loaded: &LoadedFile) -> bool {
        let now = loaded.result.as_ref().err().map(|e| e.message.clone());
        let Ok(mut published) = self.config_errors.lock() else {
            return false;
        };
        let before = published.insert(loaded.path.clone(), now.clone());
        match before {
            Some(before) => before != now,
            None => now.is_some(),
        }
    }

    /// Record an edit ending at byte `offset` of the new text.
    pub fn record_edit(&self, uri: &Uri, offset: usize) {
        self.last_edit.insert(uri.clone(), (Instant::now(), offset));
    }

    pub fn forget(&self, uri: &Uri) {
        self.last_edit.remove(uri);
    }

    /// When the document was last edited.
    pub fn last_edit(&self, uri: &Uri) -> Option<Instant> {
        self.last_edit.get(uri).map(|entry| entry.0)
    }

    /// The paragraph being typed in and how long ago, for the hold-back filter.
    pub fn typing(&self, uri: &Uri, article: &Article) -> Option<Typing> {
        let (at, offset) = *self.last_edit.get(uri)?;
        let paragraph = paragraph_under_edit(article, offset.min(article.text.len()))?;
        Some(Typing {
            paragraph,
            since_edit: at.elapsed(),
        })
    }
}

/// The language of a document: its language id, else its file extension.
pub fn language_of(uri: &Uri, language_id: &str) -> Language {
    let by_id = Language::from_id(language_id);
    if by_id == Language::Markdown {
        return by_id;
    }
    let path = uri.path().as_str();
    match path.rsplit_once('.') {
        Some((_, ext)) => Language::from_id(ext),
        None => by_id,
    }
}

/// The analysis of the document's current text, with its text and language.
pub async fn context(documents: &Documents, uri: &Uri) -> Option<FeatureContext> {
    let language_id = documents
        .snapshot(uri)
        .map(|s| s.language_id)
        .unwrap_or_default();
    let analysed = documents.current_analysis(uri).await?;
    Some(context_of(uri, &language_id, analysed))
}

/// The analysis of the text a position request is about: the document as it was when the
/// handler started, with every change the client sent before the request applied and none sent
/// after (tower-lsp-server starts handlers in arrival order, and this takes its snapshot before
/// its first await, so call it first in the handler). Positions in the request and ranges in the
/// answer then refer to the same text. If the worker has moved past that text while we waited
/// (changes arrived, and it skipped to the newest), the text is analysed afresh on the blocking
/// pool with the same options: from-scratch and incremental analysis are identical (a property
/// test says so), and a position request is rare enough (a hover, a rename) to afford it.
pub async fn context_as_sent(
    documents: &Documents,
    state: &FeatureState,
    uri: &Uri,
) -> Option<FeatureContext> {
    let asked = documents.snapshot(uri)?;
    let analysed = documents.current_analysis(uri).await?;
    if analysed.revision == asked.revision {
        return Some(context_of(uri, &asked.language_id, analysed));
    }
    debug!(
        uri = uri.as_str(),
        asked = asked.version,
        analysed = analysed.version,
        "the document moved on during the request; analysing the request's text afresh"
    );
    let config = state.config_for(uri).0;
    let limit = size_limit::max_document_bytes(config.max_document_bytes);
    let options = config.analysis_options();
    let text: Arc<str> = super::documents::text_of(&asked.rope);
    let analysis = if text.len() > limit {
        Arc::new(Analysis::default())
    } else {
        let text = Arc::clone(&text);
        let fresh = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| analyze_with(&text, &options))).ok()
        })
        .await;
        match fresh {
            Ok(Some(analysis)) => Arc::new(analysis),
            _ => {
                error!(
                    uri = uri.as_str(),
                    "analysis panicked; no answer for this request"
                );
                return None;
            }
        }
    };
    let analysed = Analysed {
        version: asked.version,
        revision: asked.revision,
        rope: asked.rope,
        text,
        analysis,
        edited: None,
    };
    Some(context_of(uri, &asked.language_id, analysed))
}

/// A context from an analysis already at hand.
pub fn context_of(uri: &Uri, language_id: &str, analysed: Analysed) -> FeatureContext {
    let text = Arc::clone(&analysed.text);
    FeatureContext {
        language: language_of(uri, language_id),
        text,
        analysed,
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn settings_are_replaced_refused_whole_or_kept_on_null() {
        let state = FeatureState::default();
        let uri = Uri::from_str("file:///nowhere/copydesk-test/story.txt").unwrap();
        state
            .set_settings(&serde_json::json!({"min-quote-words": 3}))
            .unwrap();
        assert_eq!(state.config_for(&uri).0.min_quote_words, 3);
        state.set_settings(&serde_json::Value::Null).unwrap();
        assert_eq!(
            state.config_for(&uri).0.min_quote_words,
            3,
            "null keeps the settings"
        );
        assert!(state
            .set_settings(&serde_json::json!({"min-quote-words": "three"}))
            .is_err());
        assert_eq!(
            state.config_for(&uri).0.min_quote_words,
            3,
            "bad settings change nothing"
        );
        state
            .set_settings(&serde_json::json!({"copydesk": {"quote-style": "straight"}}))
            .unwrap();
        assert_eq!(
            state.config_for(&uri).0.min_quote_words,
            1,
            "new settings replace the old"
        );
        assert_eq!(language_of(&uri, "plaintext"), Language::PlainText);
        let md = Uri::from_str("file:///nowhere/story.md").unwrap();
        assert_eq!(language_of(&md, "plaintext"), Language::Markdown);
    }
}
