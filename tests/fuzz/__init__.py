"""A mutation fuzzer for profiles (YAML, JSON, CSV) and protocols.

Each input is a known-good file mutated a few times (bytes flipped, ranges cut or repeated,
lines swapped, tokens that have broken readers before spliced in). Reading it must either give
a value (then it is assessed and rendered) or raise the library's own error; anything else is a
crash and is kept with its input. Run by hand for long campaigns::

    python -m tests.fuzz --inputs 100000 --seed 1

``tests/test_fuzz.py`` runs a short campaign with a fixed seed on every test run.
"""
