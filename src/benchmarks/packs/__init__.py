"""Report packs: one report per authority, in parallel, incrementally, safe to run from cron.

`benchmarks report --all | --region R | --group NAME | --la X --la Y` comes here
(`run.pack_command`, called by `benchmarks.cli` with typed options). A pack run:

1. takes the lock on the output folder (`lock`: `<out>/.pack.lock`, an flock through the
   filelock package, so it is released however the process ends): a second run exits at
   once with EXIT_LOCKED and writes nothing;
2. loads the data (the panel's parquet cache), picks the authorities (`selection`), and
   gives each one a key (`manifest`): the data's provenance (every input's sha256, from
   `bundle.meta["sources"]`), the report fingerprint (the notebook, and the package's code
   and library versions, through `benchmarks.cache.fingerprint`) and its papermill
   parameters. An authority is skipped when its key equals the key of its last good
   render in the run manifest (`<out>/<year>/.pack_manifest.json`) and that report is
   still on disk. With nothing to do the run ends here, before any kernel starts or any
   heavy module is imported;
3. starts the workers (`workers`): threads, each driving one kept-alive `render.Renderer`
   (its own kernel and exporter) in a process of its own (`renderer_process`), so the
   workers' Python work runs in parallel too. While the kernels start, this process
   compares every authority once and writes the comparison cache (`benchmarks.cache`),
   which every kernel then reads;
4. writes each report atomically (`Renderer.render`: a temporary file, then a rename). A
   failed report leaves the previous good one in place. The manifest is rewritten
   atomically after every report, so a killed run loses only the reports in progress;
5. writes the index page `<out>/<year>/index.html` (`index`) and prints the summary (`run`).

A report rendered here is the file `benchmarks report --la NAME` renders alone: the same
`Renderer.render` call with the same parameters (the authority's name as the LA list
spells it).
"""

from benchmarks.packs import index, lock, manifest, run, selection, workers
from benchmarks.packs.lock import EXIT_LOCKED, OutputLock, PackLocked
from benchmarks.packs.run import (
    EXIT_FAILED,
    EXIT_OK,
    PackOptions,
    PackResult,
    pack_command,
    run_pack,
)
from benchmarks.packs.selection import Selection

__all__ = [
    "EXIT_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "OutputLock",
    "PackLocked",
    "PackOptions",
    "PackResult",
    "Selection",
    "index",
    "lock",
    "manifest",
    "pack_command",
    "run",
    "run_pack",
    "selection",
    "workers",
]
