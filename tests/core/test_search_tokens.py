"""A whole ID number searched for is kept out of the address bar and, in the session, only encrypted."""

from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import ModelWorkerFactory, organization


def test_the_searched_number_is_in_no_url_and_not_in_clear_in_the_session(client, users):
    worker = ModelWorkerFactory(organization=organization("653100"))
    client.force_login(users.finance)
    redirect = client.get(reverse("beneficiaries:model_worker_list"), {"q": worker.id_number})
    assert redirect.status_code == 302 and worker.id_number not in redirect["Location"]
    assert worker.name in client.get(redirect["Location"]).content.decode()
    stored = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    assert "search_tokens" in stored and worker.id_number not in stored
