//! Named entities: the statistical tagger, gazetteers, and linking of mentions into entities.
