"""The auditable Taser strategic threat and risk assessment (STRA): build, assure, sign off, publish, verify.

docs/assessment.md is the guide. In short:

- :func:`create_assessment` freezes the inputs (:mod:`.snapshots`: canonical JSON + SHA-256 from
  registered providers, or given explicitly) and runs the method (:mod:`.run`): indicators, the
  MoRiLE-style score from the judgement log, the demand-coverage model with its calculation trace,
  the community figures and the decision; the run manifest's SHA-256 is what is signed;
- :func:`record_judgement`, :func:`record_community`, :func:`record_informed` add to the logs;
- :func:`assure`, :func:`approve`, :func:`publish` move it through the signed workflow;
- :func:`verify_assessment` re-runs it from the stored inputs and checks every hash, signature and
  audit link, naming the first that does not check out;
- :func:`diff_assessments` compares two versions; :func:`list_assessments` and
  :func:`show_assessment` read them; :mod:`.packs` renders the two-tier packs
  (:func:`public_summary`, :func:`restricted_pack`, :func:`write_pack`).
"""

from .diff import diff_assessments
from .creation import DEFAULT_METHOD, create_assessment
from .drafting import EIA_OUTCOMES, record_community, record_informed, record_judgement
from .model import COMMUNITY_KINDS, NDM_STAGES, PARTIES, STATES, Assessment, normalise_period
from .packs import public_summary, restricted_pack
from .rendering import write_pack
from .snapshots import (
    ENTRY_POINT_GROUP,
    ProviderInfo,
    SnapshotData,
    SnapshotRequest,
    given,
    providers,
    register_provider,
)
from .verify import Verification, verify_assessment
from .views import list_assessments, show_assessment
from .workflow import approve, assure, publish

__all__ = [
    "COMMUNITY_KINDS",
    "DEFAULT_METHOD",
    "EIA_OUTCOMES",
    "ENTRY_POINT_GROUP",
    "NDM_STAGES",
    "PARTIES",
    "STATES",
    "Assessment",
    "ProviderInfo",
    "SnapshotData",
    "SnapshotRequest",
    "Verification",
    "approve",
    "assure",
    "create_assessment",
    "diff_assessments",
    "given",
    "list_assessments",
    "normalise_period",
    "providers",
    "public_summary",
    "publish",
    "record_community",
    "record_informed",
    "record_judgement",
    "register_provider",
    "restricted_pack",
    "show_assessment",
    "verify_assessment",
    "write_pack",
]
