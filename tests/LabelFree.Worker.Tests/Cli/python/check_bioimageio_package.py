#!/usr/bin/python3
"""Checks a bioimage.io model package outside .NET, with Debian's PyYAML, jsonschema, numpy and PyTorch.

  check_bioimageio_package.py PACKAGE_FOLDER SCHEMA_JSON

Prints JSON: the schema errors of rdf.yaml (validated as a bioimage.io resource description), files whose SHA-256
differs from the description's, and the result of running the package as a model-zoo runner does: the weights
(pytorch_state_dict) loaded strictly into the architecture (source file, callable, kwargs), the test input
pre-processed as described (zero_mean_unit_variance over the given axes, with eps), the network run in eval mode
and its output compared with the test output within the description's reproducibility tolerance.
"""
import hashlib
import importlib.util
import json
import os
import sys

import jsonschema
import numpy
import torch
import yaml


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def schema_errors(description, schema_path):
    with open(schema_path) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    errors = []
    for error in validator.iter_errors(description):
        # The schema's top level is a oneOf over resource types: report the deepest causes, not the oneOf itself.
        causes = error.context or [error]
        best = jsonschema.exceptions.best_match(causes)
        errors.append("%s: %s" % ("/".join(str(p) for p in best.absolute_path), best.message))
    return errors


def declared_files(description):
    weights = description["weights"]["pytorch_state_dict"]
    files = [(weights["source"], weights.get("sha256")),
             (weights["architecture"]["source"], weights["architecture"].get("sha256"))]
    for tensor in description["inputs"] + description["outputs"]:
        files.append((tensor["test_tensor"]["source"], tensor["test_tensor"].get("sha256")))
    return files


def preprocess(array, steps, axis_ids):
    for step in steps:
        if step["id"] != "zero_mean_unit_variance":
            raise SystemExit("this checker only knows zero_mean_unit_variance, not %s" % step["id"])
        kwargs = step.get("kwargs", {})
        axes = tuple(axis_ids.index(a) for a in kwargs.get("axes") or axis_ids)
        mean = array.mean(axis=axes, keepdims=True)
        std = array.std(axis=axes, keepdims=True)
        array = (array - mean) / (std + kwargs.get("eps", 1e-6))
    return array


def run(folder, description):
    weights = description["weights"]["pytorch_state_dict"]
    architecture = weights["architecture"]
    spec = importlib.util.spec_from_file_location("package_architecture", os.path.join(folder, architecture["source"]))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = getattr(module, architecture["callable"])(**architecture.get("kwargs", {}))
    net.load_state_dict(torch.load(os.path.join(folder, weights["source"]), map_location="cpu"), strict=True)
    net.eval()

    tensor_in, tensor_out = description["inputs"][0], description["outputs"][0]
    axis_ids = [a.get("id", a["type"]) for a in tensor_in["axes"]]
    x = numpy.load(os.path.join(folder, tensor_in["test_tensor"]["source"])).astype(numpy.float32)
    expected = numpy.load(os.path.join(folder, tensor_out["test_tensor"]["source"]))
    x = preprocess(x, tensor_in.get("preprocessing", []), axis_ids).astype(numpy.float32)
    with torch.no_grad():
        actual = net(torch.from_numpy(x)).numpy()

    tolerance = description.get("config", {}).get("bioimageio", {}).get("reproducibility_tolerance", [{}])[0]
    rtol = tolerance.get("relative_tolerance", 1e-3)
    atol = tolerance.get("absolute_tolerance", 1e-3)
    difference = numpy.abs(actual.astype(numpy.float64) - expected.astype(numpy.float64))
    outside = int((difference > atol + rtol * numpy.abs(expected)).sum())
    return {
        "input_shape": list(x.shape),
        "output_shape": list(actual.shape),
        "expected_shape": list(expected.shape),
        "relative_tolerance": rtol,
        "absolute_tolerance": atol,
        "max_abs_difference": float(difference.max()),
        "expected_range": float(expected.max() - expected.min()),
        "expected_max_abs": float(numpy.abs(expected).max()),
        "elements_outside_tolerance": outside,
        "torch": torch.__version__,
    }


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    folder, schema_path = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "rdf.yaml")) as f:
        description = yaml.safe_load(f)
    facts = {
        "schema_errors": schema_errors(description, schema_path),
        "sha256_mismatches": [name for name, digest in declared_files(description)
                              if digest is not None and sha256(os.path.join(folder, name)) != digest],
        "documentation_exists": os.path.isfile(os.path.join(folder, description["documentation"])),
    }
    facts.update(run(folder, description))
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
