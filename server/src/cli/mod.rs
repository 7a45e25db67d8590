//! The headless front end: `copydesk check` and its report formats.
