"""A `render.Renderer` in a process of its own, for a pack's workers.

A pack's worker threads share one interpreter, so the work each does between its
kernel's cells (papermill's messages, the HTML export) waits for the others' (Python's
global lock), and the kernels wait with it. `RendererProcess` has the methods a worker
calls (`render`, `render_page`, `close`) and runs them in a child process
(`python -m benchmarks.packs.renderer_process`), which keeps its own kernel.

The two talk in JSON lines over the child's stdin and a pipe of its own (the child's
stdout and stderr stay the terminal's). The child ends when its stdin closes: when the
pack closes it, or when the pack process itself dies. It ignores Ctrl-C, which the
terminal sends to the whole group: the pack decides when to stop.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from benchmarks.errors import BenchmarksError, reason


class KernelStartError(BenchmarksError):
    """The child could not start its kernel: another child would not either."""


class RendererProcess:
    """A `render.Renderer` in a child process: `render`, `render_page` and `close`, as the
    renderer's. The child starts its kernel at once, while this process goes on."""

    def __init__(self, *, notebook: str | Path | None = None) -> None:
        read, write = os.pipe()
        command = [sys.executable, "-m", "benchmarks.packs.renderer_process", str(write)]
        if notebook is not None:
            command.append(str(notebook))
        try:
            self._child = subprocess.Popen(  # noqa: S603  # this interpreter, this package
                command, stdin=subprocess.PIPE, pass_fds=(write,), text=True
            )
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self._replies: IO[str] = os.fdopen(read, encoding="utf-8")

    def render(self, la: str, *, out_dir: str | Path = Path("reports"), **options: Any) -> Path:
        """`Renderer.render` in the child."""
        from benchmarks.render import report_parameters

        return self.render_page(report_parameters(la, **options), out_dir)

    def render_page(self, parameters: dict[str, Any], out_dir: str | Path) -> Path:
        """`Renderer.render_page` in the child; its ReportError is raised here as it was."""
        from benchmarks.render import ReportError

        stdin = self._child.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps({"params": parameters, "out_dir": str(out_dir)}) + "\n")
            stdin.flush()
        except OSError as exc:
            raise BenchmarksError(f"the rendering process has stopped: {exc}") from None
        line = self._replies.readline()
        if not line:
            code = self._child.wait()
            raise BenchmarksError(f"the rendering process stopped (exit code {code})")
        reply = json.loads(line)
        if "path" in reply:
            return Path(reply["path"])
        if "report_error" in reply:
            raise ReportError(**reply["report_error"])
        if "start_error" in reply:
            raise KernelStartError(reply["start_error"])
        raise BenchmarksError(reply["error"])

    def close(self) -> None:
        """End the child (it shuts its kernel down) and wait for it."""
        if self._child.stdin is not None:
            try:
                self._child.stdin.close()
            except OSError:
                pass
        try:
            self._child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        self._replies.close()


def main(argv: list[str]) -> int:
    """The child: render what each line of stdin asks, reply on the pipe (argv[0])."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from benchmarks.render import NOTEBOOK, Renderer, ReportError

    replies = os.fdopen(int(argv[0]), "w", encoding="utf-8")

    def reply(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    try:
        renderer = Renderer(notebook=argv[1] if len(argv) > 1 else NOTEBOOK)
    except Exception as exc:  # no kernel: say so to every request, then end
        for _ in sys.stdin:
            reply({"start_error": f"could not start a kernel: {reason(exc)}"})
        return 1
    with renderer:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                path = renderer.render_page(request["params"], request["out_dir"])
            except ReportError as exc:
                reply(
                    {
                        "report_error": {
                            "la": exc.la,
                            "cell_index": exc.cell_index,
                            "first_line": exc.first_line,
                            "ename": exc.ename,
                            "evalue": exc.evalue,
                        }
                    }
                )
            except Exception as exc:
                reply({"error": reason(exc)})
                return 1  # the worker starts a new renderer after any other failure
            else:
                reply({"path": str(path)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
