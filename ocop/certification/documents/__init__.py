"""Documents of recognition: decisions and certificates by period (decisions.py, issuers.py), on the shared
PDF/DOCX layout of administrative documents (layout.py) that evaluation's minutes, score sheets and letters
also use."""

from .decisions import certificate_lines, certificate_pdf, recognition_decision, revocation_decision
from .issuers import Issuer, event_level, issuer_for, issuer_of_event, unit_for
from .layout import Grid, OfficialDocument, Para, Signature, document_response, render_docx, render_pdf

__all__ = [
    "Grid",
    "Issuer",
    "OfficialDocument",
    "Para",
    "Signature",
    "certificate_lines",
    "certificate_pdf",
    "document_response",
    "event_level",
    "issuer_for",
    "issuer_of_event",
    "recognition_decision",
    "render_docx",
    "render_pdf",
    "revocation_decision",
    "unit_for",
]
