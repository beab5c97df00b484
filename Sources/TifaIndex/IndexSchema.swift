/// The SQLite schema of a Tifa index: plain tables and views that `sqlite3`, pandas
/// (`pd.read_sql`), R (`DBI`/`RSQLite`) and DuckDB (`ATTACH 'x.db' (TYPE sqlite)`) read without Tifa.
enum IndexSchema {
    /// `PRAGMA application_id`: "TIFA" in ASCII. `file(1)` and Tifa's queries use it to tell a
    /// Tifa index from any other SQLite file.
    static let applicationID: Int32 = 0x5449_4641
    /// `PRAGMA user_version`: the schema version. Queries refuse other versions with a message.
    /// 2: formula_occurrences has within_term_id, within_start, within_end (nested occurrences).
    /// 3: texts and per-document term counts stored compressed (`text_data`, `doc_term_data`,
    ///    read through the `texts` and `doc_terms` views); df and cf are columns of `terms`
    ///    (`term_stats` is a view); no secondary indexes. One row per document and term cost
    ///    12 bytes in SQLite (13 with an index by term): twice the index size of the corpus.
    static let version: Int32 = 3

    /// SCHEMA (version 3). Offsets are 0-based Unicode code point offsets into a document's decoded
    /// original text (the `texts.text` column), end exclusive: Python `text[start:end]`.
    ///
    ///   meta(key, value)                 provenance and state, one row per key:
    ///       build_complete  '1' once a build finished (queries refuse an index without it)
    ///       tifa_version, schema_version, sqlite_version, icu_version, analyzer (name/version),
    ///       options (JSON: normalization, corpus reading), inputs (JSON list of corpus paths),
    ///       fingerprint (hash of analyzer + options + every resource; a change forces a full
    ///       re-index), created_at, updated_at (ISO 8601 UTC), documents, tokens (totals),
    ///       texts ('stored', or 'omitted' by `index build --no-texts`: text_data is empty; absent
    ///       in indexes older than the key, which stored texts)
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
    ///   text_data(doc_id, bytes, data)   the decoded original text, which offsets refer to,
    ///                                    compressed as in an SQLite Archive: data is zlib's
    ///                                    compress() of the UTF-8 (or the UTF-8 itself when not
    ///                                    smaller), bytes its UTF-8 length; read it through the
    ///                                    `texts` view (sqlite3's built-in sqlar_uncompress);
    ///                                    no rows when meta.texts is 'omitted'
    ///   terms(term_id, text, kind, category, df, cf)
    ///       text: the normalized surface (simplified, width-folded). kind: word | number | latin
    ///       (the segmenter's tokens) | formula (a lexicon formula found by the formula matcher,
    ///       counting its variants and separated forms: 兩不愁、三保障 counts for 两不愁三保障; the
    ///       same text usually also exists as a word, counting only where it stands as one token).
    ///       category: the lexicon category of a formula, NULL for other kinds.
    ///       df, cf: document frequency and collection frequency.
    ///   doc_term_data(doc_id, bytes, data)
    ///                                    how often each term occurs in each document: a JSON
    ///                                    object from term id to count ({"3":1,"17":4}, ids
    ///                                    ascending), compressed like text_data; read it through
    ///                                    the `doc_terms` view. A query by term reads all of it.
    ///   formula_occurrences(doc_id, term_id, start, end, surface, within_term_id, within_start, within_end)
    ///                                    every policy formula found, with its original surface;
    ///                                    one inside a longer one (改革开放 in 全面深化改革开放) names
    ///                                    the outermost occurrence it stands in (NULL: outermost)
    ///   skipped(source, reason)          documents the last build could not read or decode
    ///
    /// Views:
    ///   texts(doc_id, text)              the stored texts, decompressed. The sqlite3 shell has
    ///                                    sqlar_uncompress built in; elsewhere register it first,
    ///                                    e.g. Python: con.create_function("sqlar_uncompress", 2,
    ///                                    lambda d, n: zlib.decompress(d) if len(d) < n else d)
    ///   doc_terms(doc_id, term_id, count) one row per document and term (count > 0)
    ///   term_stats(term_id, df, cf)      the statistics columns of terms (schema 2's table)
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
    CREATE TABLE IF NOT EXISTS text_data (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(doc_id),
        bytes  INTEGER NOT NULL,
        data   BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS terms (
        term_id  INTEGER PRIMARY KEY,
        text     TEXT NOT NULL,
        kind     TEXT NOT NULL,
        category TEXT,
        df       INTEGER NOT NULL,
        cf       INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS doc_term_data (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(doc_id),
        bytes  INTEGER NOT NULL,
        data   BLOB NOT NULL
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

    static let views = """
    CREATE VIEW IF NOT EXISTS texts AS
        SELECT doc_id, CAST(sqlar_uncompress(data, bytes) AS TEXT) AS text FROM text_data;
    CREATE VIEW IF NOT EXISTS doc_terms AS
        SELECT d.doc_id, CAST(j.key AS INTEGER) AS term_id, j.value AS count
        FROM doc_term_data d, json_each(CAST(sqlar_uncompress(d.data, d.bytes) AS TEXT)) j;
    CREATE VIEW IF NOT EXISTS term_stats AS
        SELECT term_id, df, cf FROM terms;
    CREATE VIEW IF NOT EXISTS corpus_totals AS
        SELECT COUNT(*) AS documents, COALESCE(SUM(tokens), 0) AS tokens, COALESCE(SUM(chars), 0) AS chars
        FROM documents;
    CREATE VIEW IF NOT EXISTS term_totals AS
        SELECT term_id, text, kind, category, df, cf,
               cf * 10000.0 / NULLIF((SELECT SUM(tokens) FROM documents), 0) AS per_10k
        FROM terms;
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
        WITH years AS (SELECT year, SUM(tokens) AS tokens FROM documents GROUP BY year)
        SELECT d.year, t.text AS formula, t.category, SUM(dt.count) AS count, COUNT(*) AS documents, y.tokens,
               SUM(dt.count) * 10000.0 / NULLIF(y.tokens, 0) AS per_10k
        FROM doc_terms dt JOIN documents d USING (doc_id) JOIN terms t USING (term_id)
             JOIN years y ON y.year IS d.year
        WHERE t.kind = 'formula'
        GROUP BY d.year, dt.term_id;
    """
}
