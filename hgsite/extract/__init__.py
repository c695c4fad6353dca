"""Pure per-file readers: the sources of tasks (images, video), metadata parsers (exif, xmp, faces),
the image model (embeddings), web copies of videos (transcode) and place names (places)."""
