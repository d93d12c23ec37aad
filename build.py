#!/usr/bin/env python3
"""Build every edition of a manuscript: see `python build.py --help` and README.md."""

import sys

from kolofon.layout.server import start_early

if __name__ == "__main__":
    start_early(sys.argv[1:])  # the layout server imports WeasyPrint while this process imports the rest
    from kolofon.cli import leave, main

    leave(main())  # a user's mistake (argparse's exit) or a bug (a traceback) ends the usual way
