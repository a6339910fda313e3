from functools import partial

from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from portal.caching import VERSIONS, changed

        for name, labels in VERSIONS.items():
            receiver = partial(changed, name)
            for model in _models(labels):
                label = model._meta.label
                for kind, signal in (("save", post_save), ("delete", post_delete)):
                    signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"{name}-{kind}-{label}")
                for field in model._meta.many_to_many:
                    m2m_changed.connect(
                        receiver,
                        sender=field.remote_field.through,
                        weak=False,
                        dispatch_uid=f"{name}-m2m-{label}.{field.name}",
                    )


def _models(labels):
    """The models named: "app.Model", or "app" for every model of the app but its history tables."""
    for label in labels:
        if "." in label:
            yield apps.get_model(label)
        else:
            yield from (
                model
                for model in apps.get_app_config(label).get_models()
                if not issubclass(model, HistoricalChanges)
            )
