"""HTTP headers a static host should send with the bundle: caching that fits its layout, and security.

Content-addressed files (previews) never change under their name and are cached for good; index.html
and data/ change with every build and must be revalidated; assets are named with a ?v= query of their
content in index.html. `headers_file()` renders these rules in the `_headers` format that Netlify and
Cloudflare Pages read; the repository's netlify.toml carries the same rules (a test keeps them equal).
"""

from __future__ import annotations

from hgsite.site import CSP

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY = {
    "Content-Security-Policy": CSP + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# (path pattern, headers), in the order a host applies them
RULES: list[tuple[str, dict[str, str]]] = [
    ("/*", SECURITY),
    ("/files/*", {"Cache-Control": IMMUTABLE}),
    ("/assets/*", {"Cache-Control": "public, max-age=86400"}),
    ("/data/*", {"Cache-Control": REVALIDATE}),
    ("/", {"Cache-Control": REVALIDATE}),
    ("/index.html", {"Cache-Control": REVALIDATE}),
]


def headers_file() -> str:
    """The rules as a `_headers` file."""
    blocks = []
    for pattern, headers in RULES:
        blocks.append("\n".join([pattern, *(f"  {name}: {value}" for name, value in headers.items())]))
    return "\n".join(blocks) + "\n"
