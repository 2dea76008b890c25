"""Helpers shared by the benchmark drivers: what machine ran them, and the generated sections of the
docs (text between <!-- NAME:begin --> and <!-- NAME:end -->) they rewrite."""
import platform
import re
import statistics


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def replace_section(text, name, section):
    """`text` with the section NAME replaced by `section` (appended, with its markers, when missing)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin in text and end in text:
        return re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: f"{begin}\n{section}\n{end}", text, flags=re.S)
    return text.rstrip("\n") + f"\n\n{begin}\n{section}\n{end}\n"


def percentile(values, p):
    """The p-th percentile (0..100) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def latency_summary(seconds):
    """Call count and p50 / p99 / mean / max in milliseconds of per-call times in seconds."""
    ms = [s * 1000 for s in seconds]
    return {"calls": len(ms), "p50_ms": round(percentile(ms, 50), 3), "p99_ms": round(percentile(ms, 99), 3),
            "mean_ms": round(statistics.fmean(ms), 3), "max_ms": round(max(ms), 3)}
