from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """The upload pipeline. It owns no models: an upload is a `funds.ImportBatch`, because every payment row points
    at the batch that posted it (and is sealed with that reference); the rows land in `funds` and `beneficiaries`."""

    name = "imports"
    verbose_name = _("数据上传")
