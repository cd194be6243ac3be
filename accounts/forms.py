from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_CHOICE
from funds.choices import Role
from funds.models import Organization


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("验证码是 6 位数字。"))
        return token


class UserCreateForm(forms.Form):
    """A new account: who, where, and its one role (the service decides whether the role waits for confirmation)."""

    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("登录用，例如 hotan-zhang；字母、数字和 @ . + - _。")
    )
    last_name = forms.CharField(label=_("姓"), max_length=150, required=False)
    first_name = forms.CharField(label=_("名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    organization = forms.ModelChoiceField(label=_("所属单位"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=[("", EMPTY_CHOICE), *Role.choices])
    reason = forms.CharField(label=_("事由"), max_length=200, required=False, help_text=_("例如：新到岗、接替某某。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user).order_by("code")
        self.fields["organization"].empty_label = EMPTY_CHOICE
        self.fields["organization"].label_from_instance = lambda org: f"{org.code} {org.short_name}"


class UserDetailsForm(forms.Form):
    last_name = forms.CharField(label=_("姓"), max_length=150, required=False)
    first_name = forms.CharField(label=_("名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    organization = forms.ModelChoiceField(label=_("所属单位"), queryset=Organization.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user).order_by("code")
        self.fields["organization"].empty_label = EMPTY_CHOICE
        self.fields["organization"].label_from_instance = lambda org: f"{org.code} {org.short_name}"


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("新角色"), choices=[("", EMPTY_CHOICE), *Role.choices])
    reason = forms.CharField(label=_("事由"), max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=200)
