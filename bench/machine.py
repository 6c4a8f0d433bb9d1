"""Where a benchmark ran: CPU, cores, memory, OS and the versions that matter."""
from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def _first(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":" if ":" in line else "=")
            if name.strip() == key:
                return value.strip().strip('"')
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info(chromium: str | None = None) -> dict:
    """A description of this machine for the results."""
    mem_kb = _first("/proc/meminfo", "MemTotal")
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem_kb.split()[0]) / 1024 / 1024, 1) if mem_kb else None,
        "os": _first("/etc/os-release", "PRETTY_NAME") or platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "gradio": _version("gradio"),
        "gradio_client": _version("gradio_client"),
        "aiohttp": _version("aiohttp"),  # the load client's HTTP library
        "playwright": _version("playwright"),
        "chromium": chromium,
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine
    }


def stolen_s() -> float:
    """CPU seconds the hypervisor has taken from this machine's cores since boot (the steal
    column of /proc/stat; 0 where it is not reported). On a shared virtual machine a
    neighbour's load shows up here, and as slower figures in the same code's run."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def describe(machine: dict) -> str:
    """One line, e.g. for a chart's footer."""
    return (f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM, "
            f"{machine['os']}, Python {machine['python']}, gradio {machine['gradio']}, "
            f"Chromium {machine['chromium'] or '?'}")
