"""hgsite: a static gallery generator for private photo and video collections."""

from __future__ import annotations

__version__ = "0.1.0"
