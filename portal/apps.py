from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self):
        from portal.caching import DIRECTORY_MODELS, directory_changed

        for label in DIRECTORY_MODELS:
            model = apps.get_model(label)
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"visitor-pages-save-{label}")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"visitor-pages-delete-{label}")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    directory_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"visitor-pages-{field}",
                )
