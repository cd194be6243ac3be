"""Password rules beyond Django's own: three character classes, and no reuse of the last five passwords."""

import secrets

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = {
    "lower": str.islower,
    "upper": str.isupper,
    "digit": str.isdigit,
    "symbol": lambda c: not c.isalnum() and not c.isspace(),
}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for test in CLASSES.values() if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 {n} 类。").format(n=self.min_classes)


class PasswordHistoryValidator:
    """Refuses the current password and the previous `remember - 1`; records each new one (`password_changed`,
    which Django calls when a user with a new password is saved)."""

    def __init__(self, remember: int = 5):
        self.remember = remember

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordHistory

        earlier = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-pk")[: self.remember]
        hashes = [row.password for row in earlier]
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in hashes[: self.remember]):
            raise ValidationError(_("不能使用最近 {n} 次用过的密码。").format(n=self.remember), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = (
            PasswordHistory.objects.filter(user=user)
            .order_by("-changed_at", "-pk")
            .values_list("pk", flat=True)[: self.remember]
        )
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("不能使用最近 {n} 次用过的密码。").format(n=self.remember)


# No 0/O, 1/l/I: a one-time password is read out or copied from a slip of paper.
_ONE_TIME_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.!")


def one_time_password(length: int = 14) -> str:
    """A password an administrator hands over once (the user must replace it at the first sign-in): random, of all
    four classes, so it satisfies CharacterClassesValidator like any password the user could choose."""
    chars = [secrets.choice(alphabet) for alphabet in _ONE_TIME_ALPHABETS]
    pool = "".join(_ONE_TIME_ALPHABETS[:3])
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
