from __future__ import annotations

from django.urls import reverse

from ocop.accounts.roles import OFFICER_ROLES, Role


def navigation(request) -> dict:
    """Menu entries for the signed-in user's role; each app adds its entry here when it ships."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_active": ""}
    items = [("Tổng quan", reverse("workspace:home"), "home")]
    if user.is_admin_role or user.role != Role.COUNCIL_MEMBER:
        items.append(("Chủ thể", reverse("producers:entity_list"), "entities"))
        items.append(("Sản phẩm", reverse("products:product_list"), "products"))
        items.append(("Chứng nhận", reverse("certification:certificate_list"), "certificates"))
    items.append(("Đánh giá", reverse("evaluation:home"), "evaluation"))
    if user.is_admin_role or user.role in OFFICER_ROLES or user.role == Role.PRODUCER:
        items.append(("Truy xuất", reverse("traceability:batch_list"), "traceability"))
    if user.is_admin_role or user.role in OFFICER_ROLES or user.role == Role.PRODUCER:
        items.append(("Ý tưởng", reverse("ideas:list"), "ideas"))
    if user.is_admin_role or user.role in OFFICER_ROLES:
        items.append(("Kiểm tra", reverse("inspections:home"), "inspections"))
        items.append(("Thống kê", reverse("targets:dashboard"), "stats"))
    if user.is_admin_role or user.role in OFFICER_ROLES or user.role == Role.PRODUCER:
        items.append(("Hỗ trợ", reverse("support:home"), "support"))
    if user.can("audit"):
        items.append(("Nhập danh sách", reverse("imports:upload"), "imports"))
        items.append(("Phản ánh", reverse("portal_staff:moderation_list"), "feedback"))
        items.append(("Nhật ký", reverse("core:audit_list"), "audit"))
    if user.can("manage_users"):
        items.append(("Người dùng", reverse("accounts:user_list"), "users"))
    # The entry whose address is the longest prefix of this page is the current one.
    matches = [(len(url), key) for _label, url, key in items if request.path.startswith(url)]
    return {"nav_items": items, "nav_active": max(matches)[1] if matches else ""}
