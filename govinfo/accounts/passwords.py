"""Password rules: Django's validators, worded in the site's own catalogue where Django's Chinese lacks it."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    # Django 5.2 reworded this refusal and its zh_Hans catalogue has no translation yet: it showed in English.
    def get_error_message(self):
        return gettext("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
