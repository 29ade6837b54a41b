"""A schema-driven fuzz of every API operation: no 5xx, and no answer that contradicts the spec.

Bounded (a few examples per operation) so it runs in the regular suite; `make fuzz` runs it
with CHAINLEAD_FUZZ_EXAMPLES=100 (any number may be set). (Schemathesis' own pytest plugin does not
work with pytest 9 yet, so the operations are walked here.)
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from crm.base.access import SYSTEM
from crm.people.users import create_token
from tests.factories import NOW, make_lead, make_user

EXAMPLES = int(os.environ.get("CHAINLEAD_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def fuzzed(app, store):
    user = make_user(store, "fuzzer", "admin")
    token, _ = create_token(store, user.id, "fuzz", actor=SYSTEM, now=NOW)
    make_lead(store)
    spec = app.test_client().get("/api/openapi.json", headers={"Authorization": f"Bearer {token}"}).json
    loaded = schemathesis.openapi.from_dict(spec)
    loaded.app = app
    return loaded, token


def test_every_operation_answers_within_its_spec_and_never_with_a_5xx(fuzzed):
    schema, token = fuzzed
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:  # every operation gets its turn; the failures are listed together at the end
            exercise()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports a group of failures
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
