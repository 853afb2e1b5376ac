"""Benchmarks (``doudi bench <name> …``), one module per subcommand, at the top of the house so they may import
anything they measure. Figures go to ``docs/benchmarks.md``.

Adding a benchmark: write ``doudi/bench/<name>.py`` with a module docstring (its first line is the help text),
``add_arguments(parser)`` and ``run(options) -> dict`` (the dict is the JSON printed by ``--json``), then add one line
to ``SUBCOMMANDS`` in ``doudi/bench/management/commands/bench.py``.
"""
