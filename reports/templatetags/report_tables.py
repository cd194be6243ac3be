"""Filters for the official tables."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Where an indicator label may break: only before the suffix every 一级/二级 label ends with, so a narrow cell
# shows "服务对象满意度 / 指标", never "服务对象满 / 意度指标". WeasyPrint has no `word-break: keep-all`, so each
# part is an unbreakable span.
LABEL_SUFFIXES = ("指标",)


def _unbreakable(text: str) -> str:
    return '<span class="nobr">' + escape(text) + "</span>"


@register.filter
def label_breaks(label: str) -> SafeString:
    text = str(label)
    for suffix in LABEL_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return mark_safe(_unbreakable(text[: -len(suffix)]) + _unbreakable(suffix))
    return mark_safe(_unbreakable(text))
