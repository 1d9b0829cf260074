"""The `ibga` command."""

from __future__ import annotations

import argparse
import sys

from ibga import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ibga", description="IB Gateway automation by computer vision.")
    parser.add_argument("--version", action="version", version=f"ibga {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("doctor", help="check that this machine has what ibga needs")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "doctor":
        from ibga.doctor import doctor

        return doctor()
    parser.print_help(sys.stderr)
    return 2
