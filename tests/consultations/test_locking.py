"""Staff lock every scheduled meeting of an event at once (confirmed with both parties), or unlock them."""

from matching.consultations.booking.models import Meeting
from tests import factories


def test_lock_all_locks_the_scheduled_meetings_of_that_event_only(client, centre_staff):
    event = factories.EventFactory(organising_centre=centre_staff.trade_centre)
    scheduled = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event))
    held = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event), status=Meeting.Status.HELD)
    elsewhere = factories.MeetingFactory()
    client.force_login(centre_staff)

    response = client.post(f"/events/{event.pk}/meetings/lock/", follow=True)

    assert "1 meeting locked." in response.content.decode()
    assert [
        m.locked for m in Meeting.objects.filter(pk__in=[scheduled.pk, held.pk, elsewhere.pk]).order_by("pk")
    ] == [
        True,
        False,
        False,
    ]


def test_unlock_all_lets_the_scheduler_move_them_again(client, centre_staff):
    event = factories.EventFactory(organising_centre=centre_staff.trade_centre)
    for _ in range(2):
        factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event), locked=True)
    client.force_login(centre_staff)

    response = client.post(f"/events/{event.pk}/meetings/unlock/", follow=True)

    assert "2 meetings unlocked." in response.content.decode()
    assert not Meeting.objects.filter(locked=True).exists()


def test_staff_of_another_centre_cannot_lock_an_events_meetings(client, other_centre_staff, bangkok_centre):
    event = factories.EventFactory(organising_centre=bangkok_centre)
    meeting = factories.MeetingFactory(slot=factories.TimeSlotFactory(event=event))
    client.force_login(other_centre_staff)

    assert client.post(f"/events/{event.pk}/meetings/lock/").status_code == 404
    meeting.refresh_from_db()
    assert meeting.locked is False
