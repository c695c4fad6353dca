"""Labels, near-duplicate groups and the browser's similarity data, from the embeddings in the cache.

The image worker stores, per item, the model's pooled features (float16 .npy in the cache) and in the
manifest the top ImageNet classes and the 128-byte code (extract/embeddings.py). The modules here turn
them into what the bundle needs: labels from the classes (labels), the pairwise near-duplicate search
(duplicates) and its pairs kept across rebuilds (pairs), the code itself (codes) and data/similar.json.gz
(browser). docs/similarity.md has the measurements behind every constant.
"""
