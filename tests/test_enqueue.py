"""portal.common.enqueue: tasks go to the queue after the commit, except the ones held back."""

import pytest

from matching.consultations.booking import tasks as booking_tasks
from portal.common import tasks as common_tasks
from portal.common.enqueue import after_commit, held_back


@pytest.mark.django_db
def test_a_held_back_task_is_dropped_and_the_others_still_go_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, held_back(common_tasks.email_send):
        after_commit(common_tasks.email_send, "Subject", "Body", ["someone@example.com"])
        after_commit(booking_tasks.meeting_requests_expire)

    assert [callback.__qualname__ for callback in callbacks] == [
        f"enqueue({booking_tasks.meeting_requests_expire.name})"
    ]


@pytest.mark.django_db
def test_after_the_block_the_held_back_task_is_enqueued_again(django_capture_on_commit_callbacks):
    with held_back(common_tasks.email_send):
        pass

    with django_capture_on_commit_callbacks() as callbacks:
        after_commit(common_tasks.email_send, "Subject", "Body", ["someone@example.com"])

    assert [callback.__qualname__ for callback in callbacks] == [f"enqueue({common_tasks.email_send.name})"]
