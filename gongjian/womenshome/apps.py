from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WomensHomeConfig(AppConfig):
    name = "gongjian.womenshome"
    label = "womenshome"
    verbose_name = _("妇女之家")
