//! Tests of quotation finding: pairing, nesting, apostrophes and kinds.

use super::*;

fn quotes(text: &str) -> Vec<(&str, QuoteKind, u8)> {
    find_quotes(text)
        .into_iter()
        .map(|q| (&text[q.span.start..q.span.end], q.kind, q.depth))
        .collect()
}

#[test]
fn curly_and_straight_pairs_and_kinds() {
    assert_eq!(
        quotes("“We will not back down,” Halvorsen said, calling the plan “a betrayal of every worker here” and the deal “sacred”."),
        vec![
            ("“We will not back down,”", QuoteKind::Full, 0),
            ("“a betrayal of every worker here”", QuoteKind::Partial, 0),
            ("“sacred”", QuoteKind::Term, 0),
        ]
    );
    assert_eq!(
        quotes("\"It is over,\" she said. He called it \"two-plus-two\"."),
        vec![
            ("\"It is over,\"", QuoteKind::Full, 0),
            ("\"two-plus-two\"", QuoteKind::Term, 0)
        ]
    );
}

#[test]
fn a_right_mark_opening_a_paragraph_opens_a_quotation() {
    assert_eq!(
        quotes("” … and that is why we stayed,” Ruiz said."),
        vec![("” … and that is why we stayed,”", QuoteKind::Full, 0)]
    );
    // Anywhere else it still closes: nothing is open, so it is reported, not opened.
    assert_eq!(
        quotes("She left ” early."),
        vec![("She left ”", QuoteKind::Full, 0)]
    );
}

#[test]
fn titles_of_works_are_terms() {
    // A kind of work, a part of one, a broadcaster's programme, a subhead in single marks.
    assert_eq!(
        quotes("Her memoir, “Water at the Door,” sold out. She was on KPEL’s “The Morning Desk With Ana Ruiz” twice."),
        vec![("“Water at the Door,”", QuoteKind::Term, 0), ("“The Morning Desk With Ana Ruiz”", QuoteKind::Term, 0)]
    );
    assert_eq!(
        quotes("He hosted an episode of the “Tides and Tempers Hour” in May."),
        vec![("“Tides and Tempers Hour”", QuoteKind::Term, 0)]
    );
    assert_eq!(
        quotes("'The Wall Will Hold.'"),
        vec![("'The Wall Will Hold.'", QuoteKind::Term, 0)]
    );
    assert_eq!(
        quotes("Ruiz, a co-author of “Salt and Iron on the Coast,” spoke in an interview with KPEL's “The Morning Desk Hour.”"),
        vec![("“Salt and Iron on the Coast,”", QuoteKind::Term, 0), ("“The Morning Desk Hour.”", QuoteKind::Term, 0)]
    );
    // A programme or paper someone spoke on or to.
    assert_eq!(
        quotes("Speaking on “The Harbour Hour With Ines Kamara,” the minister defended the levy. Vance told “Morning Tide Live With Ana Ruiz” she would run."),
        vec![("“The Harbour Hour With Ines Kamara,”", QuoteKind::Term, 0), ("“Morning Tide Live With Ana Ruiz”", QuoteKind::Term, 0)]
    );
    // Not titles: words in sentence case after a work noun are a quotation from it; a
    // statement's title is its author's words; a Title Case subhead in double marks and a
    // single-marked line that is more than the quotation stay quotations.
    assert_eq!(
        quotes("In her memoir, “we were never told the truth,” she writes."),
        vec![("“we were never told the truth,”", QuoteKind::Full, 0)]
    );
    assert_eq!(
        quotes("The memo, titled “Costs Come Before the Concrete,” was leaked."),
        vec![("“Costs Come Before the Concrete,”", QuoteKind::Full, 0)]
    );
    assert_eq!(
        quotes("“The Wall Will Hold.”"),
        vec![("“The Wall Will Hold.”", QuoteKind::Full, 0)]
    );
    assert_eq!(
        quotes("He said on Sunday 'The Wall Will Hold Forever.'"),
        vec![("'The Wall Will Hold Forever.'", QuoteKind::Full, 0)]
    );
}

#[test]
fn nested_single_inside_double_and_apostrophes() {
    assert_eq!(
        quotes("“They don’t call it ‘a truce’ in the ’90s sense, and rock ’n’ roll isn’t the Reuters’ beat,” she said."),
        vec![
            ("“They don’t call it ‘a truce’ in the ’90s sense, and rock ’n’ roll isn’t the Reuters’ beat,”", QuoteKind::Full, 0),
            ("‘a truce’", QuoteKind::Term, 1),
        ]
    );
    assert_eq!(
        quotes("The nations’ leaders met at the workers' hall."),
        vec![]
    );
    assert_eq!(
        quotes("He said 'enough is enough' twice."),
        vec![("'enough is enough'", QuoteKind::Term, 0)]
    );
    // The NYT archive's doubled apostrophes are double marks.
    assert_eq!(
        quotes("''We are not done,'' she said, calling it ''a start.''"),
        vec![
            ("''We are not done,''", QuoteKind::Full, 0),
            ("''a start.''", QuoteKind::Term, 0)
        ]
    );
}

#[test]
fn a_nested_quotation_closing_with_the_outer_one_keeps_the_sentence_full() {
    assert_eq!(
        quotes("“Leaders praised what they called ‘the rescue of the decade,’” the article read."),
        vec![
            (
                "“Leaders praised what they called ‘the rescue of the decade,’”",
                QuoteKind::Full,
                0
            ),
            ("‘the rescue of the decade,’", QuoteKind::Partial, 1)
        ]
    );
}

#[test]
fn european_marks() {
    assert_eq!(
        quotes("Er sagte „Wir kommen.“ Dann ging er."),
        vec![("„Wir kommen.“", QuoteKind::Full, 0)]
    );
    assert_eq!(
        quotes("Il a dit « Nous partons. » Puis rien."),
        vec![("« Nous partons. »", QuoteKind::Full, 0)]
    );
    assert_eq!(
        quotes("Er sagte ‚nie‘ dazu."),
        vec![("‚nie‘", QuoteKind::Term, 0)]
    );
}

#[test]
fn open_and_dangling_marks() {
    let open = find_quotes("“We will keep going. And we will win.");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].close_mark, None);
    assert!(open[0].opens_paragraph);
    let dangling = find_quotes("and that is final,” he said.");
    assert_eq!(dangling.len(), 1);
    assert_eq!(dangling[0].open_mark, None);
    assert_eq!(dangling[0].span, Span::new(0, "and that is final,”".len()));
    assert_eq!(
        quotes("“It stands,” it said. The board was “disappointed.”” No date."),
        vec![
            ("“It stands,”", QuoteKind::Full, 0),
            ("“disappointed.”", QuoteKind::Term, 0),
            ("”", QuoteKind::Full, 0)
        ]
    );
}
