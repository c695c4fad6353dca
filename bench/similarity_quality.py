"""Which compact similarity code to ship, and which near-duplicate threshold: measured, not guessed.

    python bench/similarity_quality.py [--groups 40] [--keep DIR]

1. Makes the near-duplicate set with ../shared/corpus/make_neardup.py in a temporary folder (40 real photos
   x 5 variants: original, 50% downscale, 80% centre crop, JPEG q40, tone/colour shift).
2. Builds it with hgsite together with the rest of the corpus photos and content-example as distractors,
   so the embeddings come from the real image worker (frame decoded once, previews written).
3. For each code: recall@4 (of the 4 other variants, how many are among the 4 nearest, over the 200
   variant queries), overlap@10 with the full float cosine ranking (over every item as a query), bytes per
   image. Fit-set parameters (mean, PCA basis, thresholds) come from the items that are NOT in the
   near-duplicate set, so the scores are not measured on the data the code was fitted to.
4. Cosine distributions of variant pairs against the nearest non-duplicate, per transform.

Prints a Markdown report (used in docs/similarity.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from hgsite.build import build  # noqa: E402
from hgsite.cache.store import Store  # noqa: E402
from hgsite.config import load_config  # noqa: E402
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME, embedding_file, load_features  # noqa: E402
from hgsite.similar import codes  # noqa: E402


def make_set(root: Path, groups: int) -> Path:
    (root / "photos").symlink_to(CORPUS / "photos")
    subprocess.run(
        [sys.executable, str(CORPUS / "make_neardup.py"), str(root), "--groups", str(groups)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return root / "neardup"


def embed_all(root: Path, neardup: Path) -> tuple[dict[str, np.ndarray], float]:
    project = root / "project"
    project.mkdir()
    sources = [neardup / "images", CORPUS / "photos", REPO / "content-example" / "photos"]
    toml = "sources = [{}]\n".format(", ".join(json.dumps(str(s)) for s in sources))
    (project / "hgsite.toml").write_text(toml)
    config = load_config(project / "hgsite.toml")
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    store = Store(config.cache)
    vectors = {}
    for (sha1, name), artifact in store.load_artifacts().items():
        if name == EMBED_NAME and artifact.key == EMBED_KEY:
            vectors[sha1] = load_features(embedding_file(config.cache, sha1))
    store.close()
    return vectors, seconds


def sha1_of(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


# -- codes: fit(train) -> encode(x) -> score(codes, query index) -------------------------------------
def unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def cosine_scores(x: np.ndarray) -> np.ndarray:
    u = unit(x)
    return u @ u.T


def homegallery_2bit(train: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Every 3rd dimension, 4 levels (zero, then terciles of the positive values); cosine of the levels."""
    sub_train = train[:, ::3]
    positive = sub_train[sub_train > 0]
    t1, t2 = np.quantile(positive, [1 / 3, 2 / 3])
    sub = x[:, ::3]
    levels = (sub > 0).astype(np.float32) + (sub > t1) + (sub > t2)
    return cosine_scores(levels)


def pca_uint8(dims: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def score(train: np.ndarray, x: np.ndarray) -> np.ndarray:
        mean = train.mean(axis=0)
        _, _, vt = np.linalg.svd(train - mean, full_matrices=False)
        basis = vt[:dims].T
        z = unit((x - mean) @ basis)
        q = np.clip(np.round(z * 127 / 0.5), -127, 127).astype(np.int32)  # |component| > 0.5 is rare
        return (q @ q.T).astype(np.float64)

    return score


def sign_bits(bits: int, centre: bool) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def score(train: np.ndarray, x: np.ndarray) -> np.ndarray:
        mean = train.mean(axis=0) if centre else 0.0
        planes = np.random.RandomState(1280).standard_normal((x.shape[1], bits))
        b = ((x - mean) @ planes) > 0
        agree = b.astype(np.int32) @ b.T.astype(np.int32) + (~b).astype(np.int32) @ (~b).T.astype(np.int32)
        return agree.astype(np.float64)

    return score


def shipped(train: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The code hgsite ships (hgsite/similar/codes.py), with its shipped parameters."""
    packed = np.stack([codes.unpack(codes.encode(v)) for v in x])
    return codes.similarity_matrix(packed).astype(np.float64)


CODES: list[tuple[str, int, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = [
    ("float32 cosine (reference)", 1280 * 4, lambda t, x: cosine_scores(x)),
    ("float cosine, mean-centred", 1280 * 4, lambda t, x: cosine_scores(x - t.mean(axis=0))),
    ("HomeGallery 2-bit, every 3rd dim", 107, homegallery_2bit),
    ("PCA-64 int8", 64, pca_uint8(64)),
    ("PCA-128 int8", 128, pca_uint8(128)),
    ("1024 sign bits, not centred", 128, sign_bits(1024, False)),
    ("512 sign bits, centred", 64, sign_bits(512, True)),
    ("1024 sign bits, centred", 128, sign_bits(1024, True)),
]


def ranked(scores: np.ndarray, query: int) -> np.ndarray:
    row = scores[query].copy()
    row[query] = -np.inf
    # stable: ties keep index order, like the browser's ranking
    return np.argsort(-row, kind="stable")


def evaluate(scores: np.ndarray, reference: np.ndarray, groups: list[list[int]]) -> tuple[float, float]:
    recalls = []
    for group in groups:
        for query in group:
            top = set(ranked(scores, query)[:4].tolist())
            recalls.append(len(top & (set(group) - {query})) / 4)
    overlaps = []
    for query in range(scores.shape[0]):
        mine = set(ranked(scores, query)[:10].tolist())
        ideal = set(ranked(reference, query)[:10].tolist())
        overlaps.append(len(mine & ideal) / 10)
    return float(np.mean(recalls)), float(np.mean(overlaps))


def thresholds(x: np.ndarray, groups: list[list[int]], roles: list[list[str]]) -> None:
    cos = cosine_scores(x)
    in_group = np.zeros_like(cos, dtype=bool)
    for group in groups:
        in_group[np.ix_(group, group)] = True
    np.fill_diagonal(in_group, True)
    members = sorted({i for g in groups for i in g})
    print("\n### Cosine of each variant to its original, and of the nearest item that is not a variant\n")
    print("| transform | min | median | max |")
    print("|---|---|---|---|")
    by_role: dict[str, list[float]] = {}
    for group, names in zip(groups, roles, strict=True):
        for index, role in zip(group[1:], names[1:], strict=True):
            by_role.setdefault(role, []).append(float(cos[group[0], index]))
    for role, values in sorted(by_role.items()):
        print(f"| {role} | {min(values):.3f} | {np.median(values):.3f} | {max(values):.3f} |")
    others = np.where(in_group, -1.0, cos)
    nearest_other = others[members].max(axis=1)
    print(
        f"| nearest non-duplicate of a set member | {nearest_other.min():.3f} | "
        f"{np.median(nearest_other):.3f} | {nearest_other.max():.3f} |"
    )
    off = np.where(np.eye(len(cos), dtype=bool), -1.0, cos)
    everything = off.max(axis=1)
    print(
        f"| nearest other item, whole collection | {everything.min():.3f} | "
        f"{np.median(everything):.3f} | {everything.max():.3f} |"
    )
    pairs = [
        (float(cos[i, j]), i, j)
        for i in range(len(cos))
        for j in range(i + 1, len(cos))
        if not in_group[i, j]
    ]
    pairs.sort(reverse=True)
    print(
        "\nHighest-scoring pairs that are not variants of each other (index, index, cosine):",
        ", ".join(f"({i}, {j}, {c:.3f})" for c, i, j in pairs[:8]),
    )
    for threshold in (0.85, 0.88, 0.9, 0.92, 0.94):
        found = [float(cos[group[0], i]) >= threshold for group in groups for i in group[1:]]
        false = sum(c >= threshold for c, _, _ in pairs)
        print(
            f"- threshold {threshold}: {sum(found)}/{len(found)} variant pairs found, "
            f"{false} pairs of different photos above it"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="use (or make) this folder instead of a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hgsite-similar-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        neardup = root / "neardup" if (root / "neardup").is_dir() else make_set(root, args.groups)
        if (root / "project").is_dir():
            import shutil

            shutil.rmtree(root / "project")
        vectors, seconds = embed_all(root, neardup)
        names = json.loads((neardup / "groups.json").read_text())
        meta = json.loads((neardup / "variants.json").read_text())["files"]
        by_name = {n: sha1_of(neardup / "images" / n) for g in names for n in g}
        order = sorted(vectors)
        index = {sha1: i for i, sha1 in enumerate(order)}
        x = np.stack([vectors[s] for s in order]).astype(np.float32)
        groups = [[index[by_name[n]] for n in g] for g in names]
        roles = [[meta[n]["role"] for n in g] for g in names]
        in_set = {i for g in groups for i in g}
        train = x[[i for i in range(len(x)) if i not in in_set]]
        print(
            f"{len(x)} items ({len(in_set)} in {len(groups)} near-duplicate groups, "
            f"{len(x) - len(in_set)} others); build with embeddings {seconds:.1f} s\n"
        )
        print("| code | bytes/image | recall@4 | overlap@10 with float cosine |")
        print("|---|---|---|---|")
        reference = cosine_scores(x)
        variants = list(CODES)
        if hasattr(codes, "DESCRIPTION"):
            variants.append((f"**shipped: {codes.DESCRIPTION}**", codes.CODE_BYTES, shipped))
        for name, size, fn in variants:
            recall, overlap = evaluate(fn(train, x), reference, groups)
            print(f"| {name} | {size} | {recall:.3f} | {overlap:.3f} |")
        thresholds(x, groups, roles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
