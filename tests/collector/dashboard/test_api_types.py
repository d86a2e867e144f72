"""The dashboard's API types are generated from the OpenAPI document (``npm run types``) and
committed; a change of the API that the committed types do not follow fails here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from collector.app import openapi_document
from collector.kit.settings import Settings
from tests.conftest import ROOT

DASHBOARD = ROOT / "dashboard"
COMMITTED = DASHBOARD / "src" / "api-schema.d.ts"


def test_the_committed_api_types_are_generated_from_the_current_document(
    tmp_path: Path,
) -> None:
    spec, generated = tmp_path / "openapi.json", tmp_path / "api-schema.d.ts"
    spec.write_text(json.dumps(openapi_document(Settings())))
    subprocess.run(
        ["node", "scripts/api-types.mjs", str(spec), str(generated)],
        cwd=DASHBOARD,
        check=True,
        timeout=120,
    )
    stale = "dashboard/src/api-schema.d.ts is stale: run `npm run types` in dashboard/"
    assert generated.read_text() == COMMITTED.read_text(), stale
