#include <sqlite3.h>
#include <zlib.h>
#include <libdeflate.h>

/* Stored texts follow the SQLite Archive ("sqlar") convention: `data` is zlib's compress() of the
   UTF-8 text, or the text itself when that is not smaller, and `bytes` is the UTF-8 length.
   sqlar_uncompress(data, bytes) is the function of that name the sqlite3 shell has built in;
   Tifa registers the same function on its own connections so the `texts` view works there too. */
static void tifa_sqlar_uncompress(sqlite3_context *context, int argc, sqlite3_value **argv) {
    (void)argc;
    sqlite3_int64 size = sqlite3_value_int64(argv[1]);
    const Bytef *data = sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    if (size == n || size < 0) { sqlite3_result_value(context, argv[0]); return; }
    Bytef *out = sqlite3_malloc64(size > 0 ? (sqlite3_uint64)size : 1);
    if (!out) { sqlite3_result_error_nomem(context); return; }
    uLongf length = (uLongf)size;
    if (uncompress(out, &length, data, (uLong)n) != Z_OK || length != (uLongf)size) {
        sqlite3_free(out);
        sqlite3_result_error(context, "sqlar_uncompress: damaged compressed text", -1);
        return;
    }
    sqlite3_result_blob64(context, out, (sqlite3_uint64)length, sqlite3_free);
}

static inline int tifa_register_sqlar_uncompress(sqlite3 *db) {
    return sqlite3_create_function(db, "sqlar_uncompress", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   0, tifa_sqlar_uncompress, 0, 0);
}
