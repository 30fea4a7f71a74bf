"""The forms' CSRF token, made as Django's get_token makes it at a tenth of the CPU.

Every page holds forms (base.html: search, language, logout), so every page asks for a
token: django.middleware.csrf.get_token masks the cookie's secret with a fresh mask of 32
characters drawn by get_random_string (32 calls of secrets.choice) and ciphers it with a
str.index per character, and a request without the cookie draws its secret the same way:
0.1 to 0.4 ms of CPU per page. Here each character is drawn from the same operating-system
source (secrets.token_bytes) by rejection sampling: a byte below 248 (= 4 × 62) gives the
character `byte % 62`, a byte above is dropped, so each character is uniform over the same
62 characters, independent of the others, as secrets.choice draws it (32 × log2 62 ≈ 190.5
bits per mask and per secret). The token has Django's format (mask + cipher, 64 letters and
digits) and meaning; Django's CsrfViewMiddleware checks it (tests/core/test_csrf.py).

The `csrf` context processor (settings.TEMPLATES, after Django's built-in one, which it
overrides) gives templates this token, lazily, as Django's does.
"""

from __future__ import annotations

from secrets import token_bytes

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import SimpleLazyObject

CHARS = CSRF_ALLOWED_CHARS
_SIZE = len(CHARS)  # 62
_BELOW = 256 - 256 % _SIZE  # 248: bytes from here up would favour the first characters
_INDEX = {char: i for i, char in enumerate(CHARS)}


def random_indices(count: int) -> list[int]:
    """`count` independent positions in CHARS, each uniform (rejection sampling)."""
    found: list[int] = []
    while len(found) < count:
        found += [b % _SIZE for b in token_bytes(count - len(found) + 4) if b < _BELOW]
    return found[:count]


def new_secret() -> str:
    """A new cookie secret, as django.middleware.csrf._get_new_csrf_string."""
    return "".join([CHARS[i] for i in random_indices(CSRF_SECRET_LENGTH)])


def mask_secret(secret: str) -> str:
    """A fresh token for `secret`, as django.middleware.csrf._mask_cipher_secret: a random
    mask, then each secret character shifted by the mask's one (modulo 62)."""
    mask = random_indices(CSRF_SECRET_LENGTH)
    index = _INDEX
    cipher = [CHARS[(index[char] + m) % _SIZE] for char, m in zip(secret, mask, strict=True)]
    return "".join([CHARS[m] for m in mask]) + "".join(cipher)


def get_token(request) -> str:
    """django.middleware.csrf.get_token, step for step."""
    if "CSRF_COOKIE" in request.META:
        secret = request.META["CSRF_COOKIE"]
        # As Django: the cookie is sent again, to renew its expiry.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        secret = new_secret()
        request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    return mask_secret(secret)


def csrf(request) -> dict:
    """Context processor: `csrf_token`, made when first shown (Django's built-in `csrf`
    context processor, with get_token above)."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
