/// The SQLite schema of a Tifa index: plain tables and views that `sqlite3`, pandas
/// (`pd.read_sql`), R (`DBI`/`RSQLite`) and DuckDB (`ATTACH 'x.db' (TYPE sqlite)`) read without Tifa.
enum IndexSchema {
    /// `PRAGMA application_id`: "TIFA" in ASCII. `file(1)` and Tifa's queries use it to tell a
    /// Tifa index from any other SQLite file.
    static let applicationID: Int32 = 0x5449_4641
    /// `PRAGMA user_version`: the schema version. Queries refuse other versions with a message.
    /// 2: formula_occurrences has within_term_id, within_start, within_end (nested occurrences).
    static let version: Int32 = 2

    /// SCHEMA (version 2). Offsets are 0-based Unicode code point offsets into a document's decoded
    /// original text (the `texts.text` column), end exclusive: Python `text[start:end]`.
    ///
    ///   meta(key, value)                 provenance and state, one row per key:
    ///       build_complete  '1' once a build finished (queries refuse an index without it)
    ///       tifa_version, schema_version, sqlite_version, icu_version, analyzer (name/version),
    ///       options (JSON: normalization, corpus reading), inputs (JSON list of corpus paths),
    ///       fingerprint (hash of analyzer + options + every resource; a change forces a full
    ///       re-index), created_at, updated_at (ISO 8601 UTC), documents, tokens (totals)
    ///   resources(name, kind, path, sha256, bytes)
    ///                                    every dictionary and lexicon the analysis used
    ///   files(path, kind, size, mtime)   the corpus files of the last build, for incremental reruns
    ///   documents(doc_id, name, source, file, year, metadata, chars, tokens, bytes, encoding,
    ///             replacements, checksum)
    ///       doc_id: integer key, assigned in input order and kept across incremental builds.
    ///       name: the document id (JSONL id field, or the path relative to the input folder).
    ///       source: path, or path:line for a JSONL record. file: the corpus file it came from.
    ///       year: from metadata `year` (or the first year in `date`), NULL when unknown.
    ///       metadata: JSON object of all metadata fields (strings). chars: code points of the
    ///       original text. tokens: word, number and latin tokens (punctuation and spaces are not
    ///       tokens). bytes: raw size. encoding: detected or forced. replacements: invalid byte
    ///       sequences replaced by U+FFFD. checksum: SHA-256 hex of the raw bytes (of the record
    ///       line for JSONL).
    ///   document_meta(doc_id, key, value) the same metadata in long form, one row per field
    ///   texts(doc_id, text)              the decoded original text, which offsets refer to
    ///   terms(term_id, text, kind, category)
    ///       text: the normalized surface (simplified, width-folded). kind: word | number | latin
    ///       (the segmenter's tokens) | formula (a lexicon formula found by the formula matcher,
    ///       counting its variants and separated forms: 兩不愁、三保障 counts for 两不愁三保障; the
    ///       same text usually also exists as a word, counting only where it stands as one token).
    ///       category: the lexicon category of a formula, NULL for other kinds.
    ///   doc_terms(doc_id, term_id, count)
    ///                                    how often each term occurs in each document (> 0)
    ///   term_stats(term_id, df, cf)      document frequency and collection frequency
    ///   formula_occurrences(doc_id, term_id, start, end, surface, within_term_id, within_start, within_end)
    ///                                    every policy formula found, with its original surface;
    ///                                    one inside a longer one (改革开放 in 全面深化改革开放) names
    ///                                    the outermost occurrence it stands in (NULL: outermost)
    ///   skipped(source, reason)          documents the last build could not read or decode
    ///
    /// Views:
    ///   corpus_totals(documents, tokens, chars)
    ///   term_totals(term_id, text, kind, category, df, cf, per_10k)   per_10k: cf per 10,000 tokens
    ///   doc_term_counts(doc_id, name, year, text, kind, count)          tidy long form
    ///   term_counts_by_year(year, text, kind, count, documents, tokens, per_10k)
    ///   formula_counts_by_year(year, formula, category, count, documents, tokens, per_10k)
    static let tables = """
    CREATE TABLE IF NOT EXISTS meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS resources (
        name   TEXT PRIMARY KEY,
        kind   TEXT NOT NULL,
        path   TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS files (
        path  TEXT PRIMARY KEY,
        kind  TEXT NOT NULL,
        size  INTEGER NOT NULL,
        mtime REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS documents (
        doc_id       INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        source       TEXT NOT NULL,
        file         TEXT NOT NULL,
        year         INTEGER,
        metadata     TEXT NOT NULL,
        chars        INTEGER NOT NULL,
        tokens       INTEGER NOT NULL,
        bytes        INTEGER NOT NULL,
        encoding     TEXT NOT NULL,
        replacements INTEGER NOT NULL,
        checksum     TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS documents_by_file ON documents(file);
    CREATE TABLE IF NOT EXISTS document_meta (
        doc_id INTEGER NOT NULL REFERENCES documents(doc_id),
        key    TEXT NOT NULL,
        value  TEXT NOT NULL,
        PRIMARY KEY (doc_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS texts (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(doc_id),
        text   TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS terms (
        term_id  INTEGER PRIMARY KEY,
        text     TEXT NOT NULL,
        kind     TEXT NOT NULL,
        category TEXT,
        UNIQUE (text, kind)
    );
    CREATE TABLE IF NOT EXISTS doc_terms (
        doc_id  INTEGER NOT NULL REFERENCES documents(doc_id),
        term_id INTEGER NOT NULL REFERENCES terms(term_id),
        count   INTEGER NOT NULL,
        PRIMARY KEY (doc_id, term_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS term_stats (
        term_id INTEGER PRIMARY KEY REFERENCES terms(term_id),
        df      INTEGER NOT NULL,
        cf      INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS formula_occurrences (
        doc_id  INTEGER NOT NULL REFERENCES documents(doc_id),
        term_id INTEGER NOT NULL REFERENCES terms(term_id),
        start   INTEGER NOT NULL,
        "end"   INTEGER NOT NULL,
        surface TEXT NOT NULL,
        within_term_id INTEGER REFERENCES terms(term_id),
        within_start   INTEGER,
        within_end     INTEGER,
        PRIMARY KEY (doc_id, start, term_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS skipped (
        source TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    """

    /// Built after a fresh bulk load (cheaper than maintaining them row by row) and kept up to
    /// date by incremental builds.
    static let secondaryIndexes = """
    CREATE INDEX IF NOT EXISTS doc_terms_by_term ON doc_terms(term_id, doc_id);
    CREATE INDEX IF NOT EXISTS formula_occurrences_by_term ON formula_occurrences(term_id);
    """

    static let views = """
    CREATE VIEW IF NOT EXISTS corpus_totals AS
        SELECT COUNT(*) AS documents, COALESCE(SUM(tokens), 0) AS tokens, COALESCE(SUM(chars), 0) AS chars
        FROM documents;
    CREATE VIEW IF NOT EXISTS term_totals AS
        SELECT t.term_id, t.text, t.kind, t.category, s.df, s.cf,
               s.cf * 10000.0 / NULLIF((SELECT SUM(tokens) FROM documents), 0) AS per_10k
        FROM terms t JOIN term_stats s USING (term_id);
    CREATE VIEW IF NOT EXISTS doc_term_counts AS
        SELECT d.doc_id, d.name, d.year, t.text, t.kind, dt.count
        FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id);
    CREATE VIEW IF NOT EXISTS term_counts_by_year AS
        WITH years AS (SELECT year, SUM(tokens) AS tokens FROM documents GROUP BY year)
        SELECT d.year, t.text, t.kind, SUM(dt.count) AS count, COUNT(*) AS documents, y.tokens,
               SUM(dt.count) * 10000.0 / NULLIF(y.tokens, 0) AS per_10k
        FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id)
             JOIN years y ON y.year IS d.year
        GROUP BY d.year, dt.term_id;
    CREATE VIEW IF NOT EXISTS formula_counts_by_year AS
        SELECT year, text AS formula,
               (SELECT category FROM terms c WHERE c.text = v.text AND c.kind = 'formula') AS category,
               count, documents, tokens, per_10k
        FROM term_counts_by_year v WHERE kind = 'formula';
    """
}
