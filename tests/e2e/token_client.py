"""A separate qbdesk process asking for an access token, for the refresh race test.

Usage: python token_client.py DATA_DIR SECRETS_FILE CREDENTIAL_ID OVERRIDES_JSON
Prints the access token on stdout.
"""

import json
import sys
from pathlib import Path

from qbdesk.services.context import AppContext
from qbdesk.store.vault import FileVault

data_dir, secrets, credential_id, overrides = sys.argv[1:5]
context = AppContext.open(Path(data_dir), json.loads(overrides), vault=FileVault(Path(secrets)))
try:
    print(context.tokens.access_token(credential_id))
finally:
    context.close()
