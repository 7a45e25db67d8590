//! Property test: every feature answers on any text and any offset without panicking.

use proptest::prelude::*;

use super::actions::code_actions;
use super::article::{Article, Language};
use super::diagnostics::diagnostics;
use super::folding::folding_ranges;
use super::hover::hover;
use super::inlay::inlay_hints;
use super::navigation::{definition, references, rename};
use super::outline::outline;
use super::semantic::semantic_tokens;
use super::workspace_symbols::workspace_symbols;
use crate::analysis::{analyze, Span};
use crate::config::Config;

fn article_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "“",
        "”",
        "\"",
        "'",
        "’",
        " said ",
        " he added",
        "Ines Halloran",
        "Halloran’s",
        "Okafor",
        "Chidi Okafor",
        "\n\n",
        "\n",
        "# ",
        "<!-- copydesk-disable-next-line -->",
        "&nbsp;",
        "[V3RX9QW2A]",
        "👍",
        "東京",
        "e\u{301}",
        " — ",
        ", ",
        ". ",
        "The council",
        "a senior official",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
    #[test]
    fn features_never_panic(text in article_text(), at in 0usize..400, markdown in any::<bool>()) {
        let analysis = analyze(&text);
        let language = if markdown { Language::Markdown } else { Language::PlainText };
        let article = Article::new(&text, &analysis, language);
        let config = Config::default();
        let offset = at.min(text.len());
        let all = Span::new(0, text.len());
        let _ = diagnostics(&article, &config);
        let _ = hover(&article, &config.register, offset);
        let _ = outline(&article);
        let _ = references(&article, offset);
        let _ = definition(&article, offset);
        let _ = rename(&article, offset, "Marta Lindqvist");
        let _ = inlay_hints(&article, all);
        let _ = code_actions(&article, &config, Span::new(offset, offset));
        let _ = folding_ranges(&article);
        let tokens = semantic_tokens(&article, all);
        for pair in tokens.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start, "overlapping tokens");
        }
        for t in &tokens {
            prop_assert!(!article.slice(t.span).contains('\n'), "token crosses a line");
        }
        let _ = workspace_symbols("hall", [(0, &article)]);
    }
}
