"""Admin helpers: actions that change rows through the portal's services, never around them, and
admins of rows only the services write."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError


class NotByHand:
    """An admin (or inline) that shows rows only the services write: never added, changed or deleted by
    hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceActions(admin.ModelAdmin):
    """Admin actions that change rows through a service; they need `manage`, the model's change
    permission, and leave a line in each row's admin history."""

    def has_manage_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def apply_service(self, request, rows, service, done_message, change_message):
        """Call `service(row)` for each row (each in its own transaction); a refusal is reported with the
        row and the service's reason and the others go on. A service that returns False changed nothing
        (someone else got there first since the list was shown): that row is neither counted nor logged.
        Returns how many were changed."""
        done = 0
        for row in rows:
            try:
                changed = service(row)
            except ValidationError as error:
                self.message_user(request, f"{row}: {' '.join(error.messages)}", messages.ERROR)
                continue
            if changed is False:
                continue
            self.log_change(request, row, str(change_message))
            done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        return done
