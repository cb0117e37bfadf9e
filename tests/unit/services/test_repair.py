"""Start-up repair after an interrupted run marks connected credentials whose tokens are gone for reconnect."""

from datetime import timedelta

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Health
from qbdesk.core.destinations import Destination
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialService
from qbdesk.services.repair import repair
from qbdesk.store.audit import AuditLog
from qbdesk.store.database import open_database
from qbdesk.store.repository import CredentialRepository
from qbdesk.store.vault import FileVault, save_tokens


def test_a_connected_credential_without_tokens_is_marked_for_reconnect(tmp_path):
    engine = open_database(tmp_path)
    repository, vault, clock = CredentialRepository(engine), FileVault(tmp_path / "s.json"), FakeClock()
    now = clock.now()
    kept = repository.add_pending("Kept", Destination.SANDBOX, now, now + timedelta(minutes=10))
    lost = repository.add_pending("Lost", Destination.SANDBOX, now, now + timedelta(minutes=10))
    for credential in (kept, lost):
        repository.mark_connected(credential.id, "1", now, now, now)
    save_tokens(vault, kept.id, "access", "refresh")
    audit = AuditTrail(AuditLog(engine), clock)
    credentials = CredentialService(repository, vault, clock, timedelta(minutes=10), audit)
    assert repair(credentials, vault, audit) == [lost.id]
    assert repository.get(lost.id).health is Health.NEEDS_RECONNECT
    assert repository.get(kept.id).health is Health.OK
    engine.dispose()
