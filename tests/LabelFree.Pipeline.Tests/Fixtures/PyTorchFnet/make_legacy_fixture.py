#!/usr/bin/python3
"""Builds the legacy-format (pre-1.6 torch.save) fixtures for the LabelFree PyTorch-import tests.

Run with Debian's interpreter after make_fixture.py:  /usr/bin/python3 make_legacy_fixture.py
PyTorch 0.4 to 1.5 (pytorch_fnet release_1's era) wrote torch.save files as a bare pickle stream followed
by the raw storages; current PyTorch still writes that format with _use_new_zipfile_serialization=False.
This script loads the zip-format fixtures that make_fixture.py wrote and saves the very same objects in
the legacy format, so the tests compare against the same PyTorch outputs (fnet3d_expected.f32, ...).

Files written:
  legacy_fnet3d_model.p          fnet3d_model.p (pytorch_fnet release_1 checkpoint dict) in the legacy format
  legacy_fnet2d_state_dict.pt    fnet2d_state_dict.pt (plain state dict) in the legacy format
  legacy_malicious_os_system.p   a legacy checkpoint whose pickle calls os.system on load (creates MARKER)
"""
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixture import MARKER, OsSystemPayload  # noqa: E402  (the shared payload and marker)


def save_legacy(obj, name):
    torch.save(obj, os.path.join(HERE, name), _use_new_zipfile_serialization=False)
    with open(os.path.join(HERE, name), "rb") as f:
        if f.read(2) == b"PK":
            raise SystemExit("%s was written as a zip archive, not in the legacy format" % name)


def same_objects(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_objects(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) == type(b) and len(a) == len(b) and all(same_objects(x, y) for x, y in zip(a, b))
    return a == b


def main():
    for source, target in (("fnet3d_model.p", "legacy_fnet3d_model.p"),
                           ("fnet2d_state_dict.pt", "legacy_fnet2d_state_dict.pt")):
        original = torch.load(os.path.join(HERE, source))
        save_legacy(original, target)
        if not same_objects(original, torch.load(os.path.join(HERE, target))):
            raise SystemExit("%s does not load back as %s" % (target, source))

    small_state = {"net_recurse.sub_2conv_more.conv1.bias": torch.zeros(4)}
    save_legacy({"nn_module": "fnet_nn_3d", "nn_kwargs": {}, "nn_state": small_state,
                 "payload": OsSystemPayload(), "count_iter": 1}, "legacy_malicious_os_system.p")
    if os.path.exists(MARKER):
        os.remove(MARKER)
    subprocess.run([sys.executable, "-c", "import torch, sys; torch.load(sys.argv[1])",
                    os.path.join(HERE, "legacy_malicious_os_system.p")], check=True)
    if not os.path.exists(MARKER):
        raise SystemExit("the payload in legacy_malicious_os_system.p did not fire under torch.load")
    os.remove(MARKER)
    print("legacy fixtures written with torch", torch.__version__)


if __name__ == "__main__":
    main()
