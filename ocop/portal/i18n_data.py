"""Text shown on the public pages that comes from data or from other apps' code — product groups and sets of
the current classification, kinds of entity, outlet and fair, the stamp check's verdicts — listed here so
that ``makemessages`` puts it in the catalogue. Templates translate it with ``|translated``
(portal_tags); a text that changes at its source simply shows in Vietnamese until this list and the
catalogue follow.
"""

from django.utils.translation import gettext_noop

CLASSIFICATION = (
    gettext_noop("Thực phẩm"),
    gettext_noop("Đồ uống"),
    gettext_noop("Dược liệu và sản phẩm từ dược liệu"),
    gettext_noop("Hàng thủ công mỹ nghệ"),
    gettext_noop("Sinh vật cảnh"),
    gettext_noop("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
    gettext_noop("Rau, củ, quả, hạt tươi"),
    gettext_noop("Thịt, thủy sản, trứng, sữa tươi"),
    gettext_noop("Gạo, ngũ cốc, hạt sơ chế khác"),
    gettext_noop("Mật ong, mật khác và nông sản thực phẩm khác"),
    gettext_noop("Đồ ăn nhanh"),
    gettext_noop("Chế biến từ gạo, ngũ cốc"),
    gettext_noop("Chế biến từ rau, củ, quả, hạt"),
    gettext_noop(
        "Chế biến từ thịt, trứng, sữa, thủy sản, các sản phẩm từ mật ong, mật khác và nông sản thực phẩm khác"
    ),
    gettext_noop("Tương, nước mắm, gia vị dạng lỏng khác"),
    gettext_noop("Gia vị khác (muối, hành, tỏi, tiêu…)"),
    gettext_noop("Chè tươi, chè chế biến"),
    gettext_noop("Sản phẩm trà/chè từ thực vật khác"),
    gettext_noop("Cà phê, ca cao"),
    gettext_noop("Rượu trắng"),
    gettext_noop("Đồ uống có cồn khác"),
    gettext_noop("Nước khoáng thiên nhiên, nước uống đóng chai"),
    gettext_noop("Đồ uống không cồn khác"),
    gettext_noop("Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền"),
    gettext_noop("Mỹ phẩm có thành phần từ dược liệu"),
    gettext_noop("Tinh dầu và dược liệu khác"),
    gettext_noop("Thủ công mỹ nghệ gia dụng, trang trí"),
    gettext_noop("Vải, may mặc"),
    gettext_noop("Hoa"),
    gettext_noop("Cây cảnh"),
    gettext_noop("Động vật cảnh"),
    gettext_noop("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
)

KINDS = (
    # ocop.producers.choices.EntityType
    gettext_noop("Hợp tác xã"),
    gettext_noop("Doanh nghiệp"),
    gettext_noop("Tổ hợp tác"),
    gettext_noop("Hộ kinh doanh / cơ sở"),
    # ocop.support.models.OutletKind, FairLevel
    gettext_noop("Điểm giới thiệu và bán sản phẩm"),
    gettext_noop("Showroom / trung tâm OCOP"),
    gettext_noop("Cấp tỉnh"),
    gettext_noop("Khu vực / toàn quốc"),
    gettext_noop("Quốc tế"),
)

STAMP_CHECK = (
    # ocop.traceability.choices.Verdict and the help of ocop.traceability.public
    gettext_noop("Tem chính hãng"),
    gettext_noop("Mã tem không tồn tại"),
    gettext_noop("Tem đã bị thu hồi"),
    gettext_noop("Cảnh báo: tem có dấu hiệu bất thường"),
    gettext_noop("Mã tem có trong hệ thống và đang hiệu lực."),
    gettext_noop("Mã này không do hệ thống phát hành. Sản phẩm có thể là hàng giả hoặc mã bị gõ sai."),
    gettext_noop("Nhà sản xuất hoặc cơ quan quản lý đã thu hồi hay huỷ tem này. Không nên mua sản phẩm."),
    gettext_noop(
        "Mã tem có thật nhưng cách nó được quét bất thường (quét quá nhiều lần, ở những nơi quá xa nhau "
        "trong thời gian ngắn, hoặc trước khi tem được kích hoạt). Tem có thể đã bị sao chép."
    ),
    gettext_noop("Bạn đã tra cứu quá nhiều mã tem không tồn tại. Vui lòng thử lại sau ít phút."),
)
