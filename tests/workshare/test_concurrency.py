"""Two people clicking 「担当する」 at the same moment: the database lets exactly one of them have the element."""

import threading

import pytest
from django.db import connection, connections

from tsunagu.core.errors import DomainError
from tsunagu.workshare import services
from tsunagu.workshare.models import WorkElement


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_claims_give_the_element_to_exactly_one_person(cast):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises every writer)")
    element = cast.element()
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(worker):
        try:
            barrier.wait()
            services.element_claim(element_id=element.pk, worker=worker)
            outcomes.append(("won", worker.pk))
        except DomainError as refusal:
            outcomes.append(("refused", str(refusal)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(person,)) for person in (cast.worker, cast.second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in outcomes) == ["refused", "won"]
    winner = next(who for kind, who in outcomes if kind == "won")
    assert WorkElement.objects.get(pk=element.pk).primary_id == winner
