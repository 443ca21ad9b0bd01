"""Field-level encryption and blind indexes for personal data (SECURITY.md P-01).

Scheme ``sm4gcm``: SM4-GCM (GB/T 32907 block cipher, 96-bit random nonce,
128-bit tag) with the column ``purpose`` bound as associated data. Each 32-byte
master secret is split with HKDF-SM3 into an SM4 encryption subkey and an
HMAC-SM3 blind-index subkey, so no secret is used for two jobs.

Token format: ``sm4gcm:<key_id>:<base64url(nonce | ciphertext | tag)>``
(unpadded base64url, ASCII only).

Key rotation: put the new key first in the config and keep old keys; old tokens
still decrypt through the key id in the token, new tokens use the current key.
Blind indexes are always computed with the CURRENT key, so after a rotation
every stored blind index must be recomputed (re-index job) before equality
searches on old rows work again. Re-encrypting old rows is optional but lets
the old key be retired.
"""

from __future__ import annotations

import base64
import binascii
import hmac as std_hmac
import os
import re
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "SCHEME",
    "DecryptionError",
    "Keyring",
    "KeyringError",
    "blind_index",
    "blind_index_candidates",
    "blind_index_many",
    "decrypt",
    "encrypt",
    "encrypt_many",
    "sm3_hex",
    "token_key_id",
]

#: Token prefix; also names the algorithm and format version.
SCHEME = "sm4gcm"
SECRET_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SM4_KEY_BYTES = 16

_KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}", re.ASCII)
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_HKDF_SALT = b"gongjian/kernel/crypto/v1"
_INFO_ENC = b"sm4-gcm encryption key"
_INFO_IDX = b"hmac-sm3 blind index key"


class KeyringError(ValueError):
    """Invalid key material or key configuration (never contains secrets)."""


class DecryptionError(Exception):
    """Token is malformed, tampered with, bound to another purpose or uses an unknown key."""


def sm3_hex(data: bytes) -> str:
    """Return the hex SM3 digest (GB/T 32905) of ``data``."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _hkdf_sm3(secret: bytes, info: bytes, length: int) -> bytes:
    """Derive a subkey from a master secret with HKDF-SM3."""
    return HKDF(algorithm=hashes.SM3(), length=length, salt=_HKDF_SALT, info=info).derive(secret)


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    """Return HMAC-SM3(key, data)."""
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def _lp(*parts: bytes) -> bytes:
    """Unambiguously concatenate byte strings with 4-byte length prefixes."""
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


@dataclass(frozen=True, slots=True, repr=False)
class _DerivedKey:
    """Subkeys derived from one master secret."""

    enc: bytes
    idx: bytes


class Keyring:
    """Master secrets by key id; the first (or ``current``) key encrypts and indexes."""

    __slots__ = ("_current", "_keys")

    def __init__(self, keys: Mapping[str, bytes], current: str | None = None) -> None:
        """Build from ``{key_id: 32-byte secret}``; ``current`` defaults to the first id."""
        if not keys:
            raise KeyringError("keyring needs at least one key")
        derived: dict[str, _DerivedKey] = {}
        for key_id, secret in keys.items():
            if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
                raise KeyringError("key id must be 1-32 characters of [A-Za-z0-9_-]")
            if not isinstance(secret, bytes | bytearray) or len(secret) != SECRET_BYTES:
                raise KeyringError(f"key {key_id!r}: secret must be exactly {SECRET_BYTES} bytes")
            raw = bytes(secret)
            derived[key_id] = _DerivedKey(
                enc=_hkdf_sm3(raw, _INFO_ENC, SM4_KEY_BYTES),
                idx=_hkdf_sm3(raw, _INFO_IDX, 32),
            )
        if current is None:
            current = next(iter(derived))
        if current not in derived:
            raise KeyringError(f"current key id {current!r} is not in the keyring")
        self._keys = derived
        self._current = current

    @classmethod
    def from_config(cls, config: str) -> Keyring:
        """Parse ``"k2:BASE64,k1:BASE64"`` (standard or url-safe base64); first is current."""
        if not isinstance(config, str) or not config.strip():
            raise KeyringError("empty keyring config")
        keys: dict[str, bytes] = {}
        for entry in config.split(","):
            entry = entry.strip()
            key_id, sep, encoded = entry.partition(":")
            key_id, encoded = key_id.strip(), encoded.strip()
            if not sep or not key_id or not encoded:
                raise KeyringError("keyring entries must look like 'key_id:BASE64'")
            if key_id in keys:
                raise KeyringError(f"duplicate key id {key_id!r}")
            keys[key_id] = _decode_secret(key_id, encoded)
        return cls(keys)

    @staticmethod
    def generate_secret() -> bytes:
        """Return a fresh random 32-byte master secret."""
        return os.urandom(SECRET_BYTES)

    @property
    def current_id(self) -> str:
        """Key id used for new ciphertexts and blind indexes."""
        return self._current

    @property
    def key_ids(self) -> tuple[str, ...]:
        """All key ids, in configuration order."""
        return tuple(self._keys)

    def __contains__(self, key_id: object) -> bool:
        """Whether ``key_id`` is in the keyring."""
        return key_id in self._keys

    def __iter__(self) -> Iterator[str]:
        """Iterate over key ids."""
        return iter(self._keys)

    def __len__(self) -> int:
        """Number of keys."""
        return len(self._keys)

    def __repr__(self) -> str:
        """Show key ids only, never secrets."""
        return f"Keyring(current={self._current!r}, key_ids={list(self._keys)!r})"

    def __reduce__(self) -> NoReturn:
        """Refuse pickling so secrets do not end up in caches or task queues."""
        raise TypeError("Keyring objects must not be pickled")

    def ordered_ids(self) -> tuple[str, ...]:
        """Key ids with the current one first."""
        return (self._current, *(k for k in self._keys if k != self._current))

    def _get(self, key_id: str) -> _DerivedKey | None:
        """Derived subkeys for ``key_id`` or None."""
        return self._keys.get(key_id)

    def _current_key(self) -> _DerivedKey:
        """Derived subkeys of the current key."""
        return self._keys[self._current]


def _decode_secret(key_id: str, encoded: str) -> bytes:
    """Decode a base64 (standard or url-safe, padding optional) 32-byte secret."""
    text = encoded.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        secret = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"key {key_id!r}: secret is not valid base64") from None
    if len(secret) != SECRET_BYTES:
        raise KeyringError(f"key {key_id!r}: secret must decode to {SECRET_BYTES} bytes")
    return secret


def _check_purpose(purpose: str) -> bytes:
    """Validate and encode a purpose label such as ``"person.id_number"``."""
    if not isinstance(purpose, str) or not purpose:
        raise ValueError("purpose must be a non-empty string")
    return purpose.encode("utf-8")


def _aad(key_id: str, purpose: bytes) -> bytes:
    """Associated data binding scheme, key id and purpose."""
    return _lp(SCHEME.encode("ascii"), key_id.encode("ascii"), purpose)


def _b64url_encode(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode_strict(text: str) -> bytes:
    """Decode unpadded base64url, rejecting any non-canonical encoding."""
    if not _B64URL_RE.fullmatch(text):
        raise DecryptionError("malformed token")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("malformed token") from None
    if _b64url_encode(data) != text:
        raise DecryptionError("malformed token")
    return data


def encrypt(plaintext: str, *, keyring: Keyring, purpose: str) -> str:
    """Encrypt ``plaintext`` with the current key; returns an ASCII token."""
    if not isinstance(plaintext, str):
        raise TypeError("plaintext must be str")
    purpose_b = _check_purpose(purpose)
    key_id = keyring.current_id
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keyring._current_key().enc), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(key_id, purpose_b))
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return f"{SCHEME}:{key_id}:{_b64url_encode(nonce + body + encryptor.tag)}"


def token_key_id(token: str) -> str:
    """Return the key id of a token (e.g. to find rows needing re-encryption)."""
    if not isinstance(token, str):
        raise DecryptionError("token must be str")
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != SCHEME or not _KEY_ID_RE.fullmatch(parts[1]):
        raise DecryptionError("malformed token")
    return parts[1]


def decrypt(token: str, *, keyring: Keyring, purpose: str) -> str:
    """Decrypt a token from :func:`encrypt`; raises DecryptionError on any failure."""
    purpose_b = _check_purpose(purpose)
    key_id = token_key_id(token)
    key = keyring._get(key_id)
    if key is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    raw = _b64url_decode_strict(token.split(":", 2)[2])
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("malformed token")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.enc), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_aad(key_id, purpose_b))
    try:
        data = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError(
            "authentication failed (tampered, wrong key or wrong purpose)"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - authenticated data is always ours
        raise DecryptionError("plaintext is not UTF-8") from None


def _index_input(value: str, purpose: str) -> bytes:
    """Length-prefixed (purpose, value) bytes fed to HMAC-SM3."""
    if not isinstance(value, str):
        raise TypeError("value must be str")
    return _lp(_check_purpose(purpose), value.encode("utf-8"))


def blind_index(value: str, *, keyring: Keyring, purpose: str) -> str:
    """Deterministic keyed index: hex HMAC-SM3 of ``value`` under the current key.

    Normalise ``value`` the same way when storing and searching. Different
    purposes give unrelated indexes. After key rotation all indexes must be rebuilt.
    """
    return _hmac_sm3(keyring._current_key().idx, _index_input(value, purpose)).hex()


def blind_index_candidates(value: str, *, keyring: Keyring, purpose: str) -> list[str]:
    """Blind indexes of ``value`` under every key, current first (search during re-indexing)."""
    data = _index_input(value, purpose)
    return [_hmac_sm3(keyring._keys[k].idx, data).hex() for k in keyring.ordered_ids()]


# --- bulk helpers (imports): the same tokens and indexes as encrypt()/blind_index(), with the
# per-batch set-up (key schedule object, associated data, HMAC key pad) done once per batch.
# Only cryptography's public API: its private bindings skip Cipher's argument checks (a third
# faster per value) but may change in any release.

def encrypt_many(plaintexts: Iterable[str], *, keyring: Keyring, purpose: str) -> list[str]:
    """:func:`encrypt` of each value, for bulk imports; every token has its own random nonce."""
    purpose_b = _check_purpose(purpose)
    key_id = keyring.current_id
    aad = _aad(key_id, purpose_b)
    algorithm = algorithms.SM4(keyring._current_key().enc)
    prefix = f"{SCHEME}:{key_id}:"
    texts = list(plaintexts)
    # One read of the system's random source for all the nonces (a read each cost more than
    # the encryption); 96 random bits each, as encrypt() draws them.
    randomness = os.urandom(NONCE_BYTES * len(texts))
    gcm, b64 = modes.GCM, base64.urlsafe_b64encode
    out: list[str] = []
    append = out.append
    for at, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError("plaintext must be str")
        nonce = randomness[at * NONCE_BYTES : (at + 1) * NONCE_BYTES]
        encryptor = Cipher(algorithm, gcm(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        body = encryptor.update(text.encode("utf-8")) + encryptor.finalize()
        append(prefix + b64(nonce + body + encryptor.tag).rstrip(b"=").decode("ascii"))
    return out


def _std_hmac_sm3(key: bytes) -> std_hmac.HMAC | None:
    """An HMAC-SM3 object of the standard library when its OpenSSL offers SM3 (copying it per
    value is faster than a new HMAC of cryptography's each time); None otherwise."""
    try:
        return std_hmac.new(key, digestmod="sm3")
    except ValueError:
        return None


def blind_index_many(values: Iterable[str], *, keyring: Keyring, purpose: str) -> list[str]:
    """:func:`blind_index` of each value, for bulk imports."""
    key = keyring._current_key().idx
    purpose_b = _check_purpose(purpose)
    head = struct.pack(">I", len(purpose_b)) + purpose_b
    base = _std_hmac_sm3(key)
    if base is not None:
        base.update(head)  # every message starts with it: fed once
    out: list[str] = []
    append = out.append
    pack = struct.Struct(">I").pack
    for value in values:
        if not isinstance(value, str):
            raise TypeError("value must be str")
        data = value.encode("utf-8")
        if base is None:
            append(_hmac_sm3(key, head + pack(len(data)) + data).hex())
        else:
            mac = base.copy()
            mac.update(pack(len(data)) + data)
            append(mac.hexdigest())
    return out
