"""Password hashes: scrypt with a salt per hash, parameters kept beside it."""

from __future__ import annotations

import base64
import hashlib

from collector.kit.auth.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    password_problem,
    verify_password,
)

PASSWORD = "correct horse battery staple"


def test_the_right_password_verifies() -> None:
    assert verify_password(PASSWORD, hash_password(PASSWORD))


def test_a_wrong_password_does_not_verify() -> None:
    assert not verify_password(PASSWORD + "!", hash_password(PASSWORD))


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)


def test_a_hash_names_scrypt_and_its_parameters() -> None:
    scheme, n, r, p, _salt, _hash = hash_password(PASSWORD).split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    salt = b"sixteen byte slt"
    derived = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
    encoded = [base64.b64encode(value).decode() for value in (salt, derived)]
    stored = f"scrypt$1024$8$1${encoded[0]}${encoded[1]}"
    assert verify_password(PASSWORD, stored)


def test_a_malformed_stored_hash_matches_nothing() -> None:
    assert not verify_password(PASSWORD, "scrypt$not-a-hash")


def test_a_hash_of_another_scheme_matches_nothing() -> None:
    stored = hash_password(PASSWORD).replace("scrypt$", "bcrypt$", 1)
    assert not verify_password(PASSWORD, stored)


def test_the_dummy_hash_is_made_once_and_matches_no_guess() -> None:
    assert dummy_hash() is dummy_hash()
    assert not verify_password(PASSWORD, dummy_hash())


def test_a_short_password_is_refused_naming_the_minimum() -> None:
    assert password_problem("x" * (MIN_PASSWORD_LENGTH - 1)) == (
        f"must be at least {MIN_PASSWORD_LENGTH} characters"
    )


def test_an_overlong_password_is_refused_naming_the_maximum() -> None:
    assert password_problem("x" * (MAX_PASSWORD_LENGTH + 1)) == (
        f"must be at most {MAX_PASSWORD_LENGTH} characters"
    )


def test_a_long_enough_password_is_accepted() -> None:
    assert password_problem(PASSWORD) is None
