"""On-demand benchmarks (not part of CI's suite except a small smoke run)."""
