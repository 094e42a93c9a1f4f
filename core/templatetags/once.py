"""`{% one_time_token %}`: the hidden field every creating form carries (core.once)."""

from django import template
from django.utils.html import format_html

from core import once

register = template.Library()


@register.simple_tag
def one_time_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())
