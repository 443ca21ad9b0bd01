"""Tests for gongjian.kernel.crypto (SM3, SM4-GCM field encryption, blind index)."""

from __future__ import annotations

import base64
import pickle
import re
from datetime import date

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import assume, given
from hypothesis import strategies as st

from gongjian.kernel import crypto
from gongjian.kernel.crypto import (
    DecryptionError,
    Keyring,
    KeyringError,
    blind_index,
    blind_index_candidates,
    decrypt,
    encrypt,
    sm3_hex,
    token_key_id,
)
from gongjian.kernel.identity import generate_id_number

SECRET_1 = bytes(range(32))
SECRET_2 = bytes(range(100, 132))
B64_1 = base64.b64encode(SECRET_1).decode()
B64_2 = base64.urlsafe_b64encode(SECRET_2).decode().rstrip("=")
PURPOSE = "person.id_number"
ID_NUMBER = "11010519491231002X"

KR1 = Keyring({"k1": SECRET_1})
TOKEN_RE = re.compile(r"sm4gcm:k1:[A-Za-z0-9_-]+")


# --- known-answer tests ----------------------------------------------------


def test_sm3_known_answer() -> None:
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    # GB/T 32905 example 2: "abcd" * 16.
    assert (
        sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sm4_ecb_known_answer() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - KAT only
    assert (
        encryptor.update(key) + encryptor.finalize()
    ).hex() == "681edf34d206965e86b3e94f536e4246"


# --- round trip and token format ---------------------------------------------


@given(st.text())
def test_round_trip(plaintext: str) -> None:
    token = encrypt(plaintext, keyring=KR1, purpose=PURPOSE)
    assert token.isascii() and TOKEN_RE.fullmatch(token)
    assert decrypt(token, keyring=KR1, purpose=PURPOSE) == plaintext


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.sampled_from(["F", "M"]),
    st.integers(0, 499),
)
def test_token_never_contains_plaintext(born: date, gender: str, seq: int) -> None:
    number = generate_id_number("610582", born, gender, seq)
    token = encrypt(number, keyring=KR1, purpose=PURPOSE)
    assert number not in token
    assert number[6:14] not in token  # birth date digits
    assert number[-8:] not in token
    assert decrypt(token, keyring=KR1, purpose=PURPOSE) == number


def test_encryption_is_randomised() -> None:
    tokens = {encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE) for _ in range(20)}
    assert len(tokens) == 20


def test_token_key_id() -> None:
    assert token_key_id(encrypt("x", keyring=KR1, purpose=PURPOSE)) == "k1"
    with pytest.raises(DecryptionError):
        token_key_id("aes:k1:AAAA")


# --- tamper detection --------------------------------------------------------


@given(st.data())
def test_any_single_character_change_detected(data: st.DataObject) -> None:
    token = encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    pos = data.draw(st.integers(0, len(token) - 1))
    repl = data.draw(st.characters(codec="ascii"))
    assume(repl != token[pos])
    with pytest.raises(DecryptionError):
        decrypt(token[:pos] + repl + token[pos + 1 :], keyring=KR1, purpose=PURPOSE)


@given(st.integers(0, 12 + 18 + 16 - 1), st.integers(1, 255))
def test_any_bit_flip_in_payload_detected(index: int, mask: int) -> None:
    token = encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    prefix, payload = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[index] ^= mask
    forged = prefix + ":" + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(DecryptionError):
        decrypt(forged, keyring=KR1, purpose=PURPOSE)


def test_truncation_and_garbage_rejected() -> None:
    token = encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    bad_tokens = [
        "",
        token[:-1],
        token[:-4],
        token + "A",
        token + "==",
        "sm4gcm:k1:",
        "sm4gcm:k1:AAAA",
        "sm4gcm::" + token.rsplit(":", 1)[1],
        token.replace("sm4gcm", "SM4GCM"),
        token.replace(":", "|"),
        token + ":extra",
        ID_NUMBER,
    ]
    for bad in bad_tokens:
        with pytest.raises(DecryptionError):
            decrypt(bad, keyring=KR1, purpose=PURPOSE)
    for not_str in (None, b"sm4gcm:k1:AAAA", 123):
        with pytest.raises(DecryptionError):
            decrypt(not_str, keyring=KR1, purpose=PURPOSE)  # type: ignore[arg-type]


@given(st.text())
def test_random_text_only_raises_decryption_error(text: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt(text, keyring=KR1, purpose=PURPOSE)


# --- purpose binding ------------------------------------------------------------


def test_purpose_binding() -> None:
    token = encrypt(ID_NUMBER, keyring=KR1, purpose="person.id_number")
    with pytest.raises(DecryptionError):
        decrypt(token, keyring=KR1, purpose="person.mobile")
    with pytest.raises(DecryptionError):
        decrypt(token, keyring=KR1, purpose="person.id_number ")
    assert decrypt(token, keyring=KR1, purpose="person.id_number") == ID_NUMBER


def test_empty_purpose_refused() -> None:
    with pytest.raises(ValueError):
        encrypt("x", keyring=KR1, purpose="")
    with pytest.raises(ValueError):
        blind_index("x", keyring=KR1, purpose="")


# --- keys and rotation -----------------------------------------------------------


def test_from_config_and_current_key() -> None:
    kr = Keyring.from_config(f" k2:{B64_2} , k1:{B64_1} ")
    assert kr.current_id == "k2"
    assert kr.key_ids == ("k2", "k1")
    assert "k1" in kr and "k3" not in kr
    assert len(kr) == 2
    assert encrypt("x", keyring=kr, purpose=PURPOSE).startswith("sm4gcm:k2:")


def test_key_rotation() -> None:
    old_token = encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    rotated = Keyring.from_config(f"k2:{B64_2},k1:{B64_1}")
    assert decrypt(old_token, keyring=rotated, purpose=PURPOSE) == ID_NUMBER
    new_token = encrypt(ID_NUMBER, keyring=rotated, purpose=PURPOSE)
    assert token_key_id(new_token) == "k2"
    assert decrypt(new_token, keyring=rotated, purpose=PURPOSE) == ID_NUMBER
    # The old keyring does not know k2; once k1 is retired old tokens are unreadable.
    with pytest.raises(DecryptionError):
        decrypt(new_token, keyring=KR1, purpose=PURPOSE)
    with pytest.raises(DecryptionError):
        decrypt(old_token, keyring=Keyring({"k2": SECRET_2}), purpose=PURPOSE)


def test_key_id_swap_detected() -> None:
    both = Keyring({"k1": SECRET_1, "k2": SECRET_2})
    token = encrypt(ID_NUMBER, keyring=both, purpose=PURPOSE)
    with pytest.raises(DecryptionError):
        decrypt(token.replace(":k1:", ":k2:"), keyring=both, purpose=PURPOSE)


def test_same_id_different_secret_fails() -> None:
    token = encrypt(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    with pytest.raises(DecryptionError):
        decrypt(token, keyring=Keyring({"k1": SECRET_2}), purpose=PURPOSE)


@pytest.mark.parametrize(
    "config",
    [
        "",
        "   ",
        "k1",
        f":{B64_1}",
        "k1:",
        "k1:not base64!!",
        f"k1:{base64.b64encode(bytes(16)).decode()}",  # too short
        f"k1:{B64_1},k1:{B64_2}",  # duplicate
        f"k:1:{B64_1}",  # bad key id
        f"k1:{B64_1},",
    ],
)
def test_bad_config_rejected(config: str) -> None:
    with pytest.raises(KeyringError):
        Keyring.from_config(config)


def test_bad_keyring_rejected() -> None:
    with pytest.raises(KeyringError):
        Keyring({})
    with pytest.raises(KeyringError):
        Keyring({"k1": b"short"})
    with pytest.raises(KeyringError):
        Keyring({"k1": SECRET_1}, current="k9")
    with pytest.raises(KeyringError):
        Keyring({"bad id": SECRET_1})


def test_secrets_not_exposed() -> None:
    kr = Keyring.from_config(f"k2:{B64_2},k1:{B64_1}")
    text = repr(kr) + str(kr)
    assert B64_1 not in text and B64_2 not in text
    assert SECRET_1.hex() not in text and SECRET_2.hex() not in text
    with pytest.raises(TypeError):
        pickle.dumps(kr)
    try:
        Keyring.from_config(f"k1:{B64_1[:-4]}")
    except KeyringError as err:
        assert B64_1[:10] not in str(err)


def test_generate_secret() -> None:
    a, b = Keyring.generate_secret(), Keyring.generate_secret()
    assert len(a) == 32 and a != b
    Keyring({"fresh": a})


# --- blind index --------------------------------------------------------------------


@given(st.text())
def test_blind_index_deterministic(value: str) -> None:
    idx = blind_index(value, keyring=KR1, purpose=PURPOSE)
    assert re.fullmatch(r"[0-9a-f]{64}", idx)
    assert idx == blind_index(value, keyring=Keyring({"k1": SECRET_1}), purpose=PURPOSE)


@given(st.text(), st.text())
def test_blind_index_distinguishes_values(a: str, b: str) -> None:
    assume(a != b)
    assert blind_index(a, keyring=KR1, purpose=PURPOSE) != blind_index(
        b, keyring=KR1, purpose=PURPOSE
    )


def test_blind_index_separation() -> None:
    base = blind_index(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    assert base != blind_index(ID_NUMBER, keyring=KR1, purpose="person.mobile")
    assert base != blind_index(ID_NUMBER, keyring=Keyring({"k1": SECRET_2}), purpose=PURPOSE)
    # Index subkey differs from the raw secret and from plain SM3.
    assert base != sm3_hex(ID_NUMBER.encode())
    assert ID_NUMBER not in base
    # Length-prefixing: moving bytes between purpose and value changes the index.
    assert blind_index("b", keyring=KR1, purpose="a") != blind_index("", keyring=KR1, purpose="ab")


def test_blind_index_after_rotation_needs_reindex() -> None:
    rotated = Keyring.from_config(f"k2:{B64_2},k1:{B64_1}")
    old = blind_index(ID_NUMBER, keyring=KR1, purpose=PURPOSE)
    new = blind_index(ID_NUMBER, keyring=rotated, purpose=PURPOSE)
    assert old != new
    assert blind_index_candidates(ID_NUMBER, keyring=rotated, purpose=PURPOSE) == [new, old]


# --- bulk helpers (imports) --------------------------------------------------


@given(st.lists(st.text(max_size=40), max_size=20))
def test_encrypt_many_tokens_decrypt_like_encrypt(plaintexts: list[str]) -> None:
    tokens = crypto.encrypt_many(plaintexts, keyring=KR1, purpose=PURPOSE)
    assert len(set(tokens)) == len(tokens)  # a nonce each
    assert all(TOKEN_RE.fullmatch(t) for t in tokens)
    assert [decrypt(t, keyring=KR1, purpose=PURPOSE) for t in tokens] == plaintexts


def test_encrypt_many_uses_only_the_public_api_of_cryptography() -> None:
    # Private bindings of cryptography may change in any release; the bulk helpers stay on the
    # documented Cipher API (a test of the source, since a private call would work today).
    import inspect

    source = inspect.getsource(crypto)
    assert "hazmat.bindings" not in source and "_rust" not in source and "_hashlib" not in source
    tokens = crypto.encrypt_many([ID_NUMBER, "13800138000"], keyring=KR1, purpose=PURPOSE)
    assert [decrypt(t, keyring=KR1, purpose=PURPOSE) for t in tokens] == [ID_NUMBER, "13800138000"]


def test_encrypt_many_refuses_what_encrypt_refuses() -> None:
    with pytest.raises(TypeError):
        crypto.encrypt_many([ID_NUMBER, b"bytes"], keyring=KR1, purpose=PURPOSE)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        crypto.encrypt_many([ID_NUMBER], keyring=KR1, purpose="")
    other = crypto.encrypt_many([ID_NUMBER], keyring=KR1, purpose="person.mobile")[0]
    with pytest.raises(DecryptionError):
        decrypt(other, keyring=KR1, purpose=PURPOSE)


@given(st.lists(st.text(max_size=40), max_size=20))
def test_blind_index_many_equals_blind_index(values: list[str]) -> None:
    assert crypto.blind_index_many(values, keyring=KR1, purpose=PURPOSE) == [
        blind_index(v, keyring=KR1, purpose=PURPOSE) for v in values
    ]


def test_blind_index_many_without_openssl_sm3(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [ID_NUMBER, "13800138000", "", "王秀英"]
    expected = [blind_index(v, keyring=KR1, purpose=PURPOSE) for v in values]
    monkeypatch.setattr(crypto, "_std_hmac_sm3", lambda key: None)
    assert crypto.blind_index_many(values, keyring=KR1, purpose=PURPOSE) == expected
