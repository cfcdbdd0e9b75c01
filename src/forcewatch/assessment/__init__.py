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
- :func:`diff_assessments` compares two versions; :mod:`.packs` renders the two-tier packs.
"""

from .drafting import DEFAULT_METHOD, EIA_OUTCOMES, create_assessment, record_community, record_informed, record_judgement
from .model import COMMUNITY_KINDS, NDM_STAGES, PARTIES, STATES, Assessment, normalise_period
from .snapshots import (ENTRY_POINT_GROUP, ProviderInfo, SnapshotData, SnapshotRequest, given, providers,
                        register_provider)
from .workflow import approve, assure, publish

__all__ = [
    "COMMUNITY_KINDS", "DEFAULT_METHOD", "EIA_OUTCOMES", "ENTRY_POINT_GROUP", "NDM_STAGES", "PARTIES", "STATES",
    "Assessment", "ProviderInfo", "SnapshotData", "SnapshotRequest", "approve", "assure", "create_assessment",
    "given", "normalise_period", "providers", "publish", "record_community", "record_informed", "record_judgement",
    "register_provider",
]
