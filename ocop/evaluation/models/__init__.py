from .criteria import LEGAL_VERSION_CHOICES, CriteriaVersion

__all__ = ["LEGAL_VERSION_CHOICES", "CriteriaVersion"]
