//! Open documents: a rope per URI, kept in step with the client's buffer, plus its analysis state.
//!
//! Every method is synchronous and holds one DashMap shard lock only for its own duration, so the
//! change handler can apply edits in arrival order before it first awaits. Handlers that need the
//! analysis of a document call [`Documents::current_analysis`] (waits for the text they were asked
//! about) or [`Documents::latest_analysis`] (whatever is ready).

use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dashmap::DashMap;
use ropey::Rope;
use tokio::sync::watch;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};
use tracing::warn;

use crate::analysis::shift::EditedFrom;
use crate::analysis::{Analysis, Analyzer, Edit};

use super::encoding::{range_to_span, PositionEncoding};
use super::published::PublishedMemo;
use crate::features::naming::NamingMemo;

/// An analysis together with the text it was computed from, so that its byte offsets can be
/// converted to positions even after the document has moved on.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// The client's version of the analysed text.
    pub version: i32,
    /// Our own count of changes, which (unlike the client's version) always increases.
    pub revision: u64,
    pub rope: Rope,
    /// The rope's text as one string, made once per analysis and shared by every feature.
    pub text: Arc<str>,
    pub analysis: Arc<Analysis>,
    /// The text of the analysis before this one and what the edits between them left alone,
    /// when the change handler saw those edits: a publish moving what it kept from that text
    /// finds the edit without comparing the two.
    pub edited: Option<EditedFrom>,
}

/// The text of a document at one moment (cloning a rope is O(1)).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: i32,
    /// Our change count for this text (see [`Analysed::revision`]).
    pub revision: u64,
    pub language_id: String,
    pub rope: Rope,
}

/// What a document's last publish leaves for the next to reuse: the naming findings and the
/// protocol forms of its diagnostics. Kept with the open document, so it goes on `didClose`
/// (with the text and analysis it holds on to).
#[derive(Debug, Default)]
pub struct PublishMemo {
    pub naming: NamingMemo,
    pub published: PublishedMemo,
}

/// One open document.
#[derive(Debug)]
struct Document {
    rope: Rope,
    version: i32,
    language_id: String,
    revision: u64,
    /// Tells this opening of the URI from an earlier one (a worker of a closed document must not
    /// touch a reopened one).
    open_id: u64,
    /// Edits since the text the analyzer last saw, in the order they were applied.
    pending_edits: Vec<Edit>,
    /// `None` while an analysis job holds it.
    analyzer: Option<Analyzer>,
    /// The analyzer has no usable cache for the current text (new, or lost to a panic).
    analyzer_needs_reset: bool,
    /// An analysis job is scheduled or running for this document.
    analysing: bool,
    analysed: watch::Sender<Option<Analysed>>,
    /// `None` while a publish holds it.
    publish_memo: Option<PublishMemo>,
}

/// After a change: start an analysis job for the document unless one is already running (it
/// picks up the new revision when it finishes).
fn schedule(document: &mut Document) -> ChangeOutcome {
    if document.analysing {
        ChangeOutcome::Applied
    } else {
        document.analysing = true;
        ChangeOutcome::StartWorker(document.open_id)
    }
}

/// Work for the analysis worker: everything it needs, moved out of the document.
#[derive(Debug)]
pub struct AnalysisJob {
    pub open_id: u64,
    pub version: i32,
    pub revision: u64,
    pub rope: Rope,
    pub edits: Vec<Edit>,
    /// The text `edits` were made to: the last analysis' (the text the analyzer last saw).
    pub edited_from: Option<Arc<str>>,
    pub reset: bool,
    pub analyzer: Analyzer,
}

/// What became of a finished analysis job.
#[derive(Debug, PartialEq, Eq)]
pub enum JobOutcome {
    /// The analysis is of the current text: publish it.
    Current,
    /// The document changed meanwhile: analyse again, publish nothing.
    Stale,
    /// The document was closed (or closed and reopened): stop.
    Gone,
}

/// Result of applying a `didChange`.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Applied; start an analysis worker with this open id (none was running).
    StartWorker(u64),
    /// Applied; the running worker will pick the change up.
    Applied,
    /// The document is not open: nothing was changed.
    UnknownDocument,
}

#[derive(Debug, Default)]
pub struct Documents {
    map: DashMap<Uri, Document>,
    next_open_id: AtomicU64,
}

impl Documents {
    /// Opens (or, if the client reopens without closing, replaces) a document; returns the open id
    /// for its analysis worker.
    pub fn open(&self, uri: Uri, language_id: String, version: i32, text: &str) -> u64 {
        let open_id = self.next_open_id.fetch_add(1, Ordering::Relaxed);
        let document = Document {
            rope: Rope::from_str(text),
            version,
            language_id,
            revision: 0,
            open_id,
            pending_edits: Vec::new(),
            analyzer: Some(Analyzer::default()),
            analyzer_needs_reset: true,
            analysing: true,
            analysed: watch::Sender::new(None),
            publish_memo: Some(PublishMemo::default()),
        };
        if self.map.insert(uri.clone(), document).is_some() {
            warn!(
                uri = uri.as_str(),
                "didOpen for a document that is already open; replacing it"
            );
        }
        open_id
    }

    /// Applies content changes in order. Version gaps are logged; the text follows the changes.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) -> ChangeOutcome {
        let Some(mut document) = self.map.get_mut(uri) else {
            warn!(
                uri = uri.as_str(),
                version, "didChange for a document that is not open; ignored"
            );
            return ChangeOutcome::UnknownDocument;
        };
        let document = &mut *document;
        if version != document.version.wrapping_add(1) {
            warn!(
                uri = uri.as_str(),
                previous = document.version,
                version,
                "didChange version is not the next one; applying the changes anyway"
            );
        }
        for change in changes {
            let edit = apply(&mut document.rope, change, encoding);
            document.pending_edits.push(edit);
        }
        document.version = version;
        document.revision += 1;
        schedule(document)
    }

    /// Asks for the document to be analysed again with unchanged text (the configuration that
    /// the analysis takes changed): like a change that edits nothing.
    pub fn reanalyse(&self, uri: &Uri) -> ChangeOutcome {
        let Some(mut document) = self.map.get_mut(uri) else {
            return ChangeOutcome::UnknownDocument;
        };
        document.revision += 1;
        schedule(&mut document)
    }

    /// Closes a document; false if it was not open.
    pub fn close(&self, uri: &Uri) -> bool {
        self.map.remove(uri).is_some()
    }

    /// Takes the document's publish memo for a publish to use and give back
    /// ([`Documents::keep_publish_memo`]); an empty one if the document is not open or another
    /// publish holds it (that publish then converts everything afresh: same result).
    pub fn take_publish_memo(&self, uri: &Uri) -> PublishMemo {
        self.map
            .get_mut(uri)
            .and_then(|mut document| document.publish_memo.take())
            .unwrap_or_default()
    }

    /// Gives the memo back after a publish; dropped if the document was closed meanwhile.
    pub fn keep_publish_memo(&self, uri: &Uri, memo: PublishMemo) {
        if let Some(mut document) = self.map.get_mut(uri) {
            document.publish_memo = Some(memo);
        }
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.map.get(uri).map(|document| Snapshot {
            version: document.version,
            revision: document.revision,
            language_id: document.language_id.clone(),
            rope: document.rope.clone(),
        })
    }

    /// The URIs of all open documents.
    pub fn uris(&self) -> Vec<Uri> {
        self.map.iter().map(|entry| entry.key().clone()).collect()
    }

    /// The newest finished analysis, which may be of an older text than the current one.
    pub fn latest_analysis(&self, uri: &Uri) -> Option<Analysed> {
        self.map
            .get(uri)
            .and_then(|document| document.analysed.borrow().clone())
    }

    /// The analysis of the document's text as of this call (or of a newer text, if the worker
    /// skipped ahead); `None` if the document is not open or is closed while waiting.
    pub async fn current_analysis(&self, uri: &Uri) -> Option<Analysed> {
        let (mut receiver, revision) = {
            let document = self.map.get(uri)?;
            (document.analysed.subscribe(), document.revision)
        };
        let ready = receiver
            .wait_for(|analysed| analysed.as_ref().is_some_and(|a| a.revision >= revision))
            .await
            .ok()?;
        ready.clone()
    }

    /// Takes the next analysis job for a document, moving its analyzer and pending edits out.
    /// `None` if the document is gone or its analyzer is already out (a second worker).
    pub fn take_job(&self, uri: &Uri, open_id: u64) -> Option<AnalysisJob> {
        let mut document = self.map.get_mut(uri)?;
        if document.open_id != open_id {
            return None;
        }
        let analyzer = document.analyzer.take()?;
        let reset = std::mem::take(&mut document.analyzer_needs_reset);
        let edited_from = document
            .analysed
            .borrow()
            .as_ref()
            .map(|analysed| Arc::clone(&analysed.text));
        Some(AnalysisJob {
            open_id,
            version: document.version,
            revision: document.revision,
            rope: document.rope.clone(),
            edits: std::mem::take(&mut document.pending_edits),
            edited_from,
            reset,
            analyzer,
        })
    }

    /// Returns the analyzer (or `None` if the job panicked and lost it) and records the result.
    pub fn finish_job(
        &self,
        uri: &Uri,
        open_id: u64,
        analyzer: Option<Analyzer>,
        analysed: Analysed,
    ) -> JobOutcome {
        let Some(mut document) = self.map.get_mut(uri) else {
            return JobOutcome::Gone;
        };
        if document.open_id != open_id {
            return JobOutcome::Gone;
        }
        match analyzer {
            Some(analyzer) => document.analyzer = Some(analyzer),
            None => {
                document.analyzer = Some(Analyzer::default());
                document.analyzer_needs_reset = true;
                document.pending_edits.clear();
            }
        }
        let current = analysed.revision == document.revision;
        document.analysed.send_replace(Some(analysed));
        if current {
            JobOutcome::Current
        } else {
            JobOutcome::Stale
        }
    }

    /// Ends the worker if nothing changed since `revision` (true), else tells it to go on.
    pub fn settle(&self, uri: &Uri, open_id: u64, revision: u64) -> bool {
        let Some(mut document) = self.map.get_mut(uri) else {
            return true;
        };
        if document.open_id != open_id {
            return true;
        }
        if document.revision == revision {
            document.analysing = false;
            true
        } else {
            false
        }
    }
}

/// The rope's text as one shared string (what an analysis and the features read), made in one
/// allocation of its exact size. `Arc::from(rope.to_string())` grew a `String` by doubling and
/// then copied it into the `Arc`: ≈ 4.5 MB allocated and 3 MB copied per keystroke at 1 MB, in
/// blocks that glibc's heap kept resident as holes between keystrokes.
pub fn text_of(rope: &Rope) -> Arc<str> {
    let len = rope.len_bytes();
    let mut bytes: Arc<[MaybeUninit<u8>]> = Arc::new_uninit_slice(len);
    let mut filled = 0;
    if let Some(buffer) = Arc::get_mut(&mut bytes) {
        for chunk in rope.chunks() {
            let Some(to) = buffer.get_mut(filled..filled + chunk.len()) else {
                break;
            };
            // A copy (`write_copy_of_slice` is past the crate's MSRV).
            for (to, &byte) in to.iter_mut().zip(chunk.as_bytes()) {
                to.write(byte);
            }
            filled += chunk.len();
        }
    }
    if filled != len {
        // Unreachable (the chunks make up `len` bytes and the Arc is new), but never unsound.
        return Arc::from(String::from(rope));
    }
    // SAFETY: all `len` bytes were written just above.
    let bytes: Arc<[u8]> = unsafe { bytes.assume_init() };
    // SAFETY: the bytes are the rope's chunks in order, each a `str`, so they are UTF-8; `str`
    // and `[u8]` have the same layout, so the pointer (with its length) is a valid `*const str`.
    unsafe { Arc::from_raw(Arc::into_raw(bytes) as *const str) }
}

/// Applies one content change to `rope`; the byte-offset [`Edit`] it made.
fn apply(
    rope: &mut Rope,
    change: TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
) -> Edit {
    let (start, old_end) = match change.range {
        Some(range) => {
            let span = range_to_span(rope, range, encoding);
            (span.start, span.end)
        }
        // No range: the whole text is replaced.
        None => (0, rope.len_bytes()),
    };
    // Offsets from `range_to_span` are clamped to the rope and on character boundaries.
    let start_char = rope.byte_to_char(start);
    let end_char = rope.byte_to_char(old_end);
    rope.remove(start_char..end_char);
    rope.insert(start_char, &change.text);
    Edit {
        start,
        old_end,
        new_end: start + change.text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn uri() -> Uri {
        "file:///story.txt".parse().unwrap()
    }

    /// The shared text is the rope's, byte for byte, across many chunks and multi-byte
    /// characters, and for an empty rope.
    #[test]
    fn text_of_is_the_ropes_text() {
        let long: String = (0..5_000)
            .map(|i| format!("“Zoë {i}” said Nguyễn 東京都 👍.\n"))
            .collect();
        for text in ["", "a", long.as_str()] {
            let rope = Rope::from_str(text);
            assert_eq!(&*text_of(&rope), text);
        }
        assert!(Rope::from_str(&long).chunks().count() > 100);
    }

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn applies_incremental_changes_in_utf16() {
        let docs = Documents::default();
        let id = docs.open(uri(), "plaintext".into(), 1, "“Hi 👍,” he said.\n東京");
        // Replace "he" (after the emoji's two units) with "she", then append on line 2.
        let changes = vec![edit(0, 9, 0, 11, "she"), edit(1, 2, 1, 2, "都")];
        assert_eq!(
            docs.change(&uri(), 2, changes, PositionEncoding::Utf16),
            ChangeOutcome::Applied
        );
        let snapshot = docs.snapshot(&uri()).unwrap();
        assert_eq!(snapshot.rope.to_string(), "“Hi 👍,” she said.\n東京都");
        assert_eq!(snapshot.version, 2);
        // The open's own analysis job is still pending, so no second worker starts.
        let job = docs.take_job(&uri(), id).unwrap();
        assert!(job.reset);
        assert_eq!(job.edits.len(), 2);
        assert_eq!(
            job.edits[0],
            Edit {
                start: 15,
                old_end: 17,
                new_end: 18
            }
        );
    }

    #[test]
    fn full_replacement_and_unknown_documents() {
        let docs = Documents::default();
        docs.open(uri(), "markdown".into(), 1, "old");
        let full = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new text".into(),
        };
        docs.change(&uri(), 5, vec![full], PositionEncoding::Utf8);
        assert_eq!(docs.snapshot(&uri()).unwrap().rope.to_string(), "new text");
        let other: Uri = "file:///other.txt".parse().unwrap();
        assert_eq!(
            docs.change(
                &other,
                1,
                vec![edit(0, 0, 0, 0, "x")],
                PositionEncoding::Utf8
            ),
            ChangeOutcome::UnknownDocument
        );
        assert!(docs.snapshot(&other).is_none());
        assert!(docs.close(&uri()));
        assert!(!docs.close(&uri()));
    }

    #[test]
    fn out_of_range_edits_are_clamped() {
        let docs = Documents::default();
        docs.open(uri(), "plaintext".into(), 1, "ab\ncd");
        docs.change(
            &uri(),
            2,
            vec![edit(0, 99, 7, 0, "!")],
            PositionEncoding::Utf32,
        );
        assert_eq!(docs.snapshot(&uri()).unwrap().rope.to_string(), "ab!");
    }

    #[test]
    fn worker_life_cycle() {
        let docs = Documents::default();
        let id = docs.open(uri(), "plaintext".into(), 1, "text");
        let job = docs.take_job(&uri(), id).unwrap();
        // A change while the job runs makes its result stale, and needs no second worker.
        assert_eq!(
            docs.change(
                &uri(),
                2,
                vec![edit(0, 0, 0, 0, "more ")],
                PositionEncoding::Utf16
            ),
            ChangeOutcome::Applied
        );
        let analysed = Analysed {
            version: job.version,
            revision: job.revision,
            rope: job.rope.clone(),
            text: Arc::from(job.rope.to_string()),
            analysis: Arc::default(),
            edited: None,
        };
        assert_eq!(
            docs.finish_job(&uri(), id, Some(job.analyzer), analysed),
            JobOutcome::Stale
        );
        assert!(!docs.settle(&uri(), id, job.revision));
        let job = docs.take_job(&uri(), id).unwrap();
        assert!(!job.reset);
        assert_eq!(job.rope.to_string(), "more text");
        let analysed = Analysed {
            version: 2,
            revision: job.revision,
            text: Arc::from(job.rope.to_string()),
            rope: job.rope,
            analysis: Arc::default(),
            edited: None,
        };
        assert_eq!(
            docs.finish_job(&uri(), id, None, analysed),
            JobOutcome::Current
        );
        assert!(docs.settle(&uri(), id, job.revision));
        assert_eq!(docs.latest_analysis(&uri()).unwrap().version, 2);
        // The next change starts a worker again; a worker of an older opening is turned away.
        let outcome = docs.change(
            &uri(),
            3,
            vec![edit(0, 0, 0, 0, "x")],
            PositionEncoding::Utf16,
        );
        assert_eq!(outcome, ChangeOutcome::StartWorker(id));
        assert!(docs.take_job(&uri(), id + 1).is_none());
        let job = docs.take_job(&uri(), id).unwrap();
        assert!(job.reset, "a lost analyzer starts from scratch");
    }
}
