"""Packaging glue that pyproject.toml cannot say: the top-level notebooks/ folder ships
inside the package as `benchmarks.notebooks`, so a normal (non-editable) install renders.

Everything else (metadata, dependencies, package data) is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "benchmarks.notebooks"],
    package_dir={"": "src", "benchmarks.notebooks": "notebooks"},
)
