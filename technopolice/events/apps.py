from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS, MODERATORS


class EventsConfig(AppConfig):
    name = "technopolice.events"
    label = "events"
    verbose_name = _("Events")
    # Collectives' organisers publish their own events on the site; moderators publish any
    # event (a council session, a national day of action) and may cancel one.
    role_permissions = {
        MODERATORS: ["events.add_event", "events.change_event", "events.view_event"],
        ADMINISTRATORS: ["events.add_event", "events.change_event", "events.view_event"],
    }
