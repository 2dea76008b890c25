"""Helpers shared by the benchmark drivers: what machine ran them, and the generated sections of the
docs (text between <!-- NAME:begin --> and <!-- NAME:end -->) they rewrite."""
import platform
import re


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
