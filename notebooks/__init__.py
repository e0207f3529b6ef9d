"""The report notebooks, shipped inside the installed package as `benchmarks.notebooks`.

This folder is where people find and edit them; `setup.py` maps it onto the package, and
`benchmarks.render.notebook_path()` finds a notebook in a checkout or an installed wheel.
"""
