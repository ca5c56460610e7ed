"""Stress tools that are not benchmarks: fuzzing the readers, hostile files, killing runs at random.

Run them from the repository root as modules, e.g. `python -m stress.fuzz_readers`;
the tests run CI-sized samples of the same code (`from stress import hostile_files`).
Speed figures live in `bench/`.
"""
