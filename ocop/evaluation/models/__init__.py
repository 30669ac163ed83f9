from .councils import Council, CouncilMember, Evaluation, ScoreSheet, Session
from .criteria import LEGAL_VERSION_CHOICES, CriteriaVersion
from .dossiers import (
    CommuneAssessment,
    Dossier,
    DossierEvidence,
    DossierSubmission,
    Evidence,
    ProductIdea,
    SupplementRequest,
)

__all__ = [
    "LEGAL_VERSION_CHOICES",
    "CommuneAssessment",
    "Council",
    "CouncilMember",
    "CriteriaVersion",
    "Dossier",
    "DossierEvidence",
    "DossierSubmission",
    "Evaluation",
    "Evidence",
    "ProductIdea",
    "ScoreSheet",
    "Session",
    "SupplementRequest",
]
