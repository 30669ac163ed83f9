from django.contrib.auth.password_validation import MinimumLengthValidator


class VietnameseMinimumLengthValidator(MinimumLengthValidator):
    """Django's Vietnamese catalogue lacks this (plural) message; officers must not meet English here."""

    def get_error_message(self) -> str:
        return f"Mật khẩu này quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."
