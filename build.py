#!/usr/bin/env python3
"""Build every edition of a manuscript: see `python build.py --help` and README.md."""

import sys

from kolofon.cli import main

if __name__ == "__main__":
    sys.exit(main())
