"""Public names: ids and preview URLs that do not reveal the sha1 of an original.

Anyone holding a photo can compute its sha1, so a bundle that used sha1s as names would tell them
whether that photo is in the gallery. Ids are a keyed hash (HMAC) of the sha1 with a random key that
lives in the project (`hgsite.key`), next to events.ndjson whose tag events refer to those ids: keep
both together. Deleting the key gives every item a new id.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from pathlib import Path

from hgsite.atomic import atomic_write
from hgsite.errors import HgsiteError

KEY_FILE = "hgsite.key"
ID_LENGTH = 16


def load_key(project: Path) -> bytes:
    """The project's naming key, created on first use."""
    path = project / KEY_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = secrets.token_hex(32)
        with atomic_write(path, "w", durable=True) as handle:
            handle.write(text + "\n")
    except (OSError, UnicodeDecodeError) as error:
        raise HgsiteError(f"{path}: cannot read the naming key: {error}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise HgsiteError(f"{path}: not a valid naming key (expected 64 hex digits)")
    return key


def public_id(key: bytes, sha1: str) -> str:
    return hmac.new(key, sha1.encode("ascii"), hashlib.sha256).hexdigest()[:ID_LENGTH]


def public_ids(key: bytes, sha1s: Iterable[str]) -> dict[str, str]:
    """Public ids by sha1; two items with one id would be a key collision, which is reported."""
    ids = {sha1: public_id(key, sha1) for sha1 in sha1s}
    if len(set(ids.values())) != len(ids):
        raise HgsiteError("two items got the same public id; please report this (hgsite.key collision)")
    return ids


def gallery_id(key: bytes) -> str:
    """A stable name of this gallery, so that browsers keep each gallery's tag events apart."""
    return hmac.new(key, b"gallery", hashlib.sha256).hexdigest()[:16]


def preview_tag(params_key: str) -> str:
    """The short form of a preview's parameter key that goes into its public file name."""
    return params_key[:4]


def files_of(item_id: str) -> str:
    """The start of the bundle-relative URL of every file made for an item."""
    return f"files/{item_id[:2]}/{item_id[2:4]}/{item_id[4:]}-"


def preview_url(item_id: str, size: int, tag: str) -> str:
    """Bundle-relative URL of a preview: immutable, since the parameters are part of the name.

    The page derives the same URL from the id, the size and the database's `previews` tags.
    """
    return f"{files_of(item_id)}{size}-{tag}.jpg"


def video_url(item_id: str, size: int, tag: str) -> str:
    """Bundle-relative URL of the web copy of a video (docs/database.md)."""
    return f"{files_of(item_id)}v{size}-{tag}.mp4"
