"""Write THIRD-PARTY-NOTICES for a qbdesk bundle: every distribution it carries, with its licence text.

Run with the Python that builds the bundle (qbdesk installed in it), before PyInstaller collects the file:

    python packaging/notices.py --out build/THIRD-PARTY-NOTICES

It fails, naming them, when a distribution qbdesk needs at run time has no licence text in its metadata.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qbdesk.licences import NoticesIncomplete, build_notices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="the file to write")
    parser.add_argument("--platform", default=sys.platform, help="the platform the bundle is for (win32, darwin, linux)")
    args = parser.parse_args(argv)
    try:
        text = build_notices(platform=args.platform, strict=True)
    except NoticesIncomplete as error:
        print(f"notices: {error}. Add the licence to packaging or drop the dependency.", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"notices: wrote {args.out} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
