"""`boot.py --describe` and `boot.py --export` (placeholder)."""
import sys


def main(argv):
    sys.stderr.write("not yet\n")
    return 2
