"""Where personal data lives (Law 91/2025/QH15): model → personal fields and what kind each one is.

Used by the admin "Dữ liệu cá nhân" page (find, export, erase one person). Models also declare
``PERSONAL_FIELDS`` for audit-diff masking (``ocop.core.audit``); this registry adds names and addresses.
"""

from __future__ import annotations

NAME, PHONE, ID_NUMBER, EMAIL, ADDRESS = "name", "phone", "id_number", "email", "address"

PERSONAL_DATA: dict[str, dict[str, str]] = {
    "producers.entity": {
        "representative": NAME,
        "phone": PHONE,
        "representative_id_number": ID_NUMBER,
        "email": EMAIL,
        "address": ADDRESS,
    },
    "accounts.user": {"full_name": NAME, "phone": PHONE, "email": EMAIL},
    "portal.feedback": {"reporter_name": NAME, "reporter_phone": PHONE, "reporter_email": EMAIL},
}
ERASED_NAME = "(đã xoá theo yêu cầu)"
