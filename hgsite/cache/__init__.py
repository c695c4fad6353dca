"""The project cache: where every path lives (layout), the SQLite manifest (store), the lock (lock) and
the compressed data files of the last build (compressed)."""
