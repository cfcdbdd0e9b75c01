"""Ed25519 sign-off: per-user key pairs, signing a transition, and checking a signature.

Each state transition is signed over the canonical JSON of::

    {"format": "forcewatch.signoff/1", "assessment_id", "manifest_sha256", "from_state", "to_state",
     "decision_text", "actor", "actor_role", "signed_at"}

(``signed_at`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``). Keys: one Ed25519 key pair per user; the
private key is a PEM file ``<username>.ed25519.pem`` (mode 0600) under
``FORCEWATCH_SIGNING_KEY_DIR``, generated on first use; the public key is registered in the
database (``signing_key``, append-only, with an audit event) and copied into every signature
record. A signature counts only if it verifies with its public key *and* that key is registered
to the person named as its actor. In demo mode without a key folder, keys go in
``forcewatch-demo-keys`` beside the demo database; outside demo mode forcewatch refuses to sign
without a configured folder.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..access import Principal
from ..errors import PermissionDenied, SettingsError, UsageError
from ..settings import Settings
from ..stats.canonical import canonical_json
from ..store import Store
from ..store.tables.assessment import signing_key
from .events import SigningKeyRegistered
from .model import iso_moment, now

__all__ = [
    "ALGORITHM",
    "DEMO_KEY_DIR",
    "SIGNATURE_FORMAT",
    "SignatureRecord",
    "Signer",
    "key_dir",
    "registered_keys",
    "signed_fields",
    "signer_for",
]

ALGORITHM = "ed25519"
SIGNATURE_FORMAT = "forcewatch.signoff/1"
DEMO_KEY_DIR = "forcewatch-demo-keys"


def signed_fields(
    *,
    assessment_id: int,
    manifest_sha256: str,
    from_state: str,
    to_state: str,
    decision_text: str,
    actor: str,
    actor_role: str,
    signed_at: datetime,
) -> dict[str, Any]:
    """The fields a sign-off signs, as a mapping (its canonical JSON is the signed message)."""
    return {
        "format": SIGNATURE_FORMAT,
        "assessment_id": assessment_id,
        "manifest_sha256": manifest_sha256,
        "from_state": from_state,
        "to_state": to_state,
        "decision_text": decision_text,
        "actor": actor,
        "actor_role": actor_role,
        "signed_at": iso_moment(signed_at),
    }


@dataclass(frozen=True)
class SignatureRecord:
    """A stored, signed transition."""

    id: int
    assessment_id: int
    seq: int
    from_state: str
    to_state: str
    manifest_sha256: str
    decision_text: str
    actor: str
    actor_role: str
    signed_at: datetime
    algorithm: str
    public_key: str
    key_id: str
    signature: str
    audit_seq: int

    @classmethod
    def from_row(cls, row: Any) -> SignatureRecord:
        return cls(**{f: getattr(row, f) for f in cls.__dataclass_fields__})

    def message(self) -> bytes:
        return canonical_json(
            signed_fields(
                assessment_id=self.assessment_id,
                manifest_sha256=self.manifest_sha256,
                from_state=self.from_state,
                to_state=self.to_state,
                decision_text=self.decision_text,
                actor=self.actor,
                actor_role=self.actor_role,
                signed_at=self.signed_at,
            )
        ).encode("utf-8")

    @property
    def signature_sha256(self) -> str:
        return hashlib.sha256(self.signature.encode("ascii")).hexdigest()

    def verifies(self) -> bool:
        """True if the signature checks out against the record's own public key and fields."""
        try:
            key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(self.public_key))
            key.verify(bytes.fromhex(self.signature), self.message())
        except (InvalidSignature, ValueError):
            return False
        return (
            self.algorithm == ALGORITHM
            and self.key_id == hashlib.sha256(bytes.fromhex(self.public_key)).hexdigest()
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "manifest_sha256": self.manifest_sha256,
            "decision_text": self.decision_text,
            "actor": self.actor,
            "actor_role": self.actor_role,
            "signed_at": iso_moment(self.signed_at),
            "algorithm": self.algorithm,
            "public_key": self.public_key,
            "key_id": self.key_id,
            "signature": self.signature,
            "audit_seq": self.audit_seq,
        }


@dataclass(frozen=True)
class Signer:
    """A person's signing key, loaded from the key folder."""

    username: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return raw.hex()

    @property
    def key_id(self) -> str:
        return hashlib.sha256(bytes.fromhex(self.public_key)).hexdigest()

    def sign(self, message: bytes) -> str:
        return self.private_key.sign(message).hex()


def key_dir(settings: Settings, store: Store) -> Path:
    """Where private keys are kept: the configured folder; in demo mode, beside the demo database."""
    if settings.signing_key_dir:
        return Path(settings.signing_key_dir).expanduser()
    if settings.demo:
        database = store.engine.url.database if store.backend == "sqlite" else None
        base = (
            Path(database).expanduser().resolve().parent
            if database and database != ":memory:"
            else Path.cwd()
        )
        return base / DEMO_KEY_DIR
    raise SettingsError(
        "no folder for signing keys is set and forcewatch is not in demo mode",
        hint="set FORCEWATCH_SIGNING_KEY_DIR to a folder only forcewatch's operators can read",
    )


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise UsageError(f"{path} is not an Ed25519 private key")
        return key
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Write the whole key to a private temporary file, then link it into place: the link is atomic
    # and fails if the key exists, so a concurrent signer never reads a half-written key.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:  # made by another signer meanwhile: use theirs
            return _load_or_create(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def registered_keys(conn: Connection, username: str) -> set[str]:
    """The public keys (hex) registered to ``username``."""
    return set(
        conn.execute(select(signing_key.c.public_key).where(signing_key.c.username == username)).scalars()
    )


def signer_for(store: Store, settings: Settings, principal: Principal) -> Signer:
    """The principal's signing key (generated on first use) with its public key registered."""
    if principal.user_id is None:
        raise PermissionDenied(
            f"{principal.username!r} is not a person's account and cannot sign",
            hint="on the command line, name the person with --as USERNAME",
        )
    folder = key_dir(settings, store)
    signer = Signer(principal.username, _load_or_create(folder / f"{principal.username}.ed25519.pem"))
    try:
        _register(store, signer, principal)
    except IntegrityError:  # the same key registered by a concurrent signing of the same person
        with store.read() as conn:
            if signer.public_key not in registered_keys(conn, principal.username):
                raise
    return signer


def _register(store: Store, signer: Signer, principal: Principal) -> None:
    with store.write() as conn:
        if signer.public_key not in registered_keys(conn, principal.username):
            conn.execute(
                insert(signing_key),
                {
                    "username": principal.username,
                    "algorithm": ALGORITHM,
                    "public_key": signer.public_key,
                    "key_id": signer.key_id,
                    "registered_at": now(),
                },
            )
            audit.append(
                conn,
                SigningKeyRegistered(
                    force_code=principal.force_code,
                    subject_id=signer.key_id[:16],
                    username=principal.username,
                    key_id=signer.key_id,
                ),
                actor=principal,
            )
