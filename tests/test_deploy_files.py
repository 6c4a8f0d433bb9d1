"""The two hosting descriptions stay in step with requirements.txt: the README's Space front
matter (Hugging Face) and ms_deploy.json (ModelScope Studios), which each decide which gradio
a host installs before it reads requirements.txt."""
from __future__ import annotations

import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
# What ModelScope's deploy schema requires of a gradio Studio, and the form of the rest.
REQUIRED = {"sdk_type", "sdk_version", "base_image", "resource_configuration"}


def pinned_gradio() -> str:
    """The version requirements.txt pins gradio to (`gradio==X.Y.Z`)."""
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    found = re.findall(r"^gradio==([0-9][0-9A-Za-z.]*)\s*$", text, re.MULTILINE)
    assert len(found) == 1, f"requirements.txt should pin gradio once with ==, found {found}"
    return found[0]


def front_matter() -> dict[str, str]:
    """The README's front matter as key -> raw value (flat YAML, what Spaces reads)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "README.md must start with the Space's front matter between --- lines"
    pairs = (line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def ms_deploy() -> dict:
    return json.loads((ROOT / "ms_deploy.json").read_text(encoding="utf-8"))


def test_the_space_installs_the_pinned_gradio():
    assert front_matter()["sdk"] == "gradio"
    assert front_matter()["sdk_version"] == pinned_gradio()


def test_the_studio_installs_the_pinned_gradio():
    deploy = ms_deploy()
    assert deploy["sdk_type"] == "gradio"
    assert deploy["sdk_version"] == pinned_gradio()


def test_ms_deploy_has_the_fields_the_schema_requires():
    deploy = ms_deploy()
    assert deploy.keys() >= REQUIRED, f"missing: {sorted(REQUIRED - deploy.keys())}"
    assert all(isinstance(deploy[key], str) and deploy[key] for key in REQUIRED)
    assert deploy["$schema"] == "https://modelscope.cn/api/v1/studios/deploy_schema.json"
    # The Python of the image is the Space's: the app is tested on 3.11.
    assert "py311" in deploy["base_image"]
    assert front_matter()["python_version"].strip("\"'") == "3.11"


def test_ms_deploy_carries_no_key():
    variables = ms_deploy()["environment_variables"]
    assert all(set(v) == {"name", "value"} and isinstance(v["value"], str) for v in variables)
    names = [v["name"] for v in variables]
    assert len(names) == len(set(names))
    # The key is a secret of the Studio's settings; this file is in the repository.
    assert not {"MINIMAX_API_KEY", "APP_AUTH", "APP_STORAGE_SECRET"} & set(names)
    assert {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7860"}.items() \
        <= {v["name"]: v["value"] for v in variables}.items()
