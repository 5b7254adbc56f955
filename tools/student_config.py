"""Print _config.yml with the student edition switched on (solutions removed); used by `make book-student`."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
config = yaml.safe_load((ROOT / "_config.yml").read_text())
config["title"] += " (student edition)"
config["sphinx"]["config"]["book_student_edition"] = True
# This file is written elsewhere (_build/), and Jupyter Book resolves these paths from the config file.
config["sphinx"]["local_extensions"] = {name: str(ROOT / path) for name, path in config["sphinx"]["local_extensions"].items()}
print(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
