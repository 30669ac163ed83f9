"""Benchmarks (`make bench`). None written yet: this says so and exits 0 rather than pretend."""

import sys


def main() -> int:
    print("chưa có benchmark (no benchmarks yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
