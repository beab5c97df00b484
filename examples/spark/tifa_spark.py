"""Index a JSON Lines corpus with Tifa on Apache Spark, and check it against one local build.

The corpus is read as lines (one record each) in N partitions. Two ways, both ending in one
SQLite index that answers every query like `tifa index build` on the whole file:

  analyses  every partition is piped through `tifa analyze -` (RDD.pipe); the records come back
            in corpus order and `tifa index build --from-analyses` writes the index.
  shards    every partition builds its own index (`tifa index build`), written where the driver
            can read it; `tifa index merge` joins them in partition order.

Usage (see README.md):
  spark-submit tifa_spark.py CORPUS.jsonl --out DIR [--mode analyses|shards|both]
      [--partitions N] [--tifa PATH] [--check]

`--tifa` is the tifa executable on the executors (same path on every node); TIFA_DICTIONARIES
in their environment points at its Dictionaries/ (set spark.executorEnv.TIFA_DICTIONARIES).
`--check` also builds the index locally in one process and compares every table and a few queries.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib

from pyspark.sql import SparkSession


def tifa_args(options):
    """The analysis options, identical for every stage (their fingerprint is checked)."""
    return ["--text-field", options.text_field, "--id-field", options.id_field]


def build_shard(index, lines, tifa, out, extra):
    """Runs on an executor: the partition's lines become one shard index."""
    lines = list(lines)
    if not lines:
        return []
    shard = os.path.join(out, "shards", "part-%05d.db" % index)
    os.makedirs(os.path.dirname(shard), exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as part:
        for line in lines:
            part.write(line + "\n")
    try:
        subprocess.run([tifa, "index", "build", part.name, "--db", shard, "--rebuild", "--quiet", "--threads", "1"] + extra,
                       check=True, stdout=subprocess.DEVNULL)
    finally:
        os.unlink(part.name)
    return [(index, shard)]


def run_tifa(tifa, args):
    started = time.time()
    subprocess.run([tifa] + args, check=True)
    return time.time() - started


def table_rows(db):
    """Every table queries read, ids included; where documents came from is left out."""
    queries = {
        "documents": "SELECT doc_id, name, year, metadata, chars, tokens, bytes, encoding, replacements, checksum FROM documents ORDER BY doc_id",
        "document_meta": "SELECT doc_id, key, value FROM document_meta ORDER BY doc_id, key",
        "texts": "SELECT doc_id, text FROM texts ORDER BY doc_id",
        "terms": "SELECT term_id, text, kind, category FROM terms ORDER BY term_id",
        "doc_terms": "SELECT doc_id, term_id, count FROM doc_terms ORDER BY doc_id, term_id",
        "term_stats": "SELECT term_id, df, cf FROM term_stats ORDER BY term_id",
        "formula_occurrences": 'SELECT doc_id, term_id, start, "end", surface FROM formula_occurrences ORDER BY doc_id, start, term_id',
    }
    connection = sqlite3.connect(db)
    # texts and doc_terms are views over compressed tables (the SQLite Archive convention; the
    # sqlite3 shell has this function built in).
    connection.create_function("sqlar_uncompress", 2, lambda data, n: zlib.decompress(data) if len(data) < n else data, deterministic=True)
    try:
        return {name: connection.execute(q).fetchall() for name, q in queries.items()}
    finally:
        connection.close()


def compare(tifa, reference, candidate, label):
    """Prints one line per table and query; returns whether everything agrees."""
    ok = True
    expected, actual = table_rows(reference), table_rows(candidate)
    for name in expected:
        same = expected[name] == actual[name]
        ok &= same
        print("  %-9s %-20s %8d rows  %s" % (label, name, len(expected[name]), "identical" if same else "DIFFERENT (%d rows)" % len(actual[name])))
    # The queries ask for what the corpus holds: its three most frequent formulas and its most
    # frequent word (a fixed term absent from a corpus would compare two empty outputs).
    terms, has_years = query_terms(reference)
    queries = [["top", "--kind", "all", "--limit", "0", "--format", "tsv"]]
    queries += [["kwic", term, "--format", "tsv", "--limit", "0"] for term in terms]
    if has_years:
        queries.append(["trend"] + terms + ["--format", "tsv"])
    for query in queries:
        runs = [subprocess.run([tifa] + query + ["--db", db], capture_output=True, text=True) for db in (reference, candidate)]
        same = [(r.returncode, r.stdout) for r in runs] == [(runs[0].returncode, runs[0].stdout)] * 2
        ok &= same and runs[0].returncode == 0
        name = "tifa " + " ".join(query[:2] if query[0] == "kwic" else query[:1])
        print("  %-9s %-20s %8d lines %s" % (label, name, runs[0].stdout.count("\n"),
                                              "identical" if same and runs[0].returncode == 0 else "DIFFERENT" if not same else "FAILED: " + runs[0].stderr.strip()))
    if not has_years:
        print("  %-9s %-20s %14s (no document has a year)" % (label, "tifa trend", "skipped"))
    return ok


def query_terms(db):
    """The reference index's three most frequent formulas and its most frequent word, and whether
    any document has a year (for `tifa trend`)."""
    connection = sqlite3.connect(db)
    try:
        top = "SELECT t.text FROM terms t JOIN term_stats s USING (term_id) WHERE t.kind = ? ORDER BY s.cf DESC, t.term_id LIMIT ?"
        terms = [row[0] for row in connection.execute(top, ("formula", 3))] + [row[0] for row in connection.execute(top, ("word", 1))]
        has_years = connection.execute("SELECT count(*) FROM documents WHERE year IS NOT NULL").fetchone()[0] > 0
        return terms, has_years
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["analyses", "shards", "both"], default="both")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--tifa", default="tifa")
    parser.add_argument("--text-field", default="content")
    parser.add_argument("--id-field", default="title")
    parser.add_argument("--check", action="store_true")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    out = os.path.abspath(options.out)
    tifa = options.tifa
    extra = tifa_args(options)

    spark = SparkSession.builder.appName("tifa-index").getOrCreate()
    sc = spark.sparkContext
    # Lines in corpus order: textFile splits a file into contiguous ranges, in order.
    lines = sc.textFile(os.path.abspath(options.corpus), minPartitions=options.partitions).filter(lambda line: line.strip())
    print("corpus %s: %d records in %d partitions" % (options.corpus, lines.count(), lines.getNumPartitions()))
    results = {}

    if options.mode in ("analyses", "both"):
        started = time.time()
        # Hadoop-streaming style: each partition's lines go to `tifa analyze -` on stdin, one
        # thread a task (Spark runs as many tasks at once as the executor has cores).
        analysed = lines.pipe(" ".join([tifa, "analyze", "-", "--threads", "1"] + extra))
        path = os.path.join(out, "analyses.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for record in analysed.toLocalIterator():  # partition order = corpus order
                f.write(record + "\n")
        db = os.path.join(out, "spark-analyses.db")
        run_tifa(tifa, ["index", "build", "--from-analyses", path, "--db", db, "--rebuild", "--quiet"] + extra)
        results["analyses"] = db
        print("analyses: %s from %s in %.1f s" % (db, path, time.time() - started))

    if options.mode in ("shards", "both"):
        started = time.time()
        shards = sorted(lines.mapPartitionsWithIndex(lambda i, part: build_shard(i, part, tifa, out, extra)).collect())
        db = os.path.join(out, "spark-shards.db")
        run_tifa(tifa, ["index", "merge"] + [path for _, path in shards] + ["--db", db, "--quiet"])
        results["shards"] = db
        print("shards: %s merged from %d shards in %.1f s" % (db, len(shards), time.time() - started))

    spark.stop()

    if options.check:
        single = os.path.join(out, "single.db")
        seconds = run_tifa(tifa, ["index", "build", os.path.abspath(options.corpus), "--db", single, "--rebuild", "--quiet"] + extra)
        print("single-machine build: %s in %.1f s" % (single, seconds))
        ok = all([compare(tifa, single, db, label) for label, db in results.items()])
        print("agreement with the single-machine index: %s" % ("all identical" if ok else "DIFFERENCES"))
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
