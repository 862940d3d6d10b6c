#!/usr/bin/python3
"""Cross-checks LabelFree's OME-Zarr writer with Debian's zarr-python (2.x) and numcodecs.

  describe STORE TIFF   print JSON: what zarr reads from the OME-Zarr folder STORE (group, the multiscale's axes,
                        scale and dataset path, omero channel names, the array's shape, dtype, chunks, codec and
                        the largest chunk's size) and whether its values equal those tifffile reads from the OME-TIFF
                        TIFF written from the same image (both as T, C, Z, Y, X).
"""
import json
import os
import sys

import numpy
import tifffile
import zarr


def tiff_as_tczyx(path):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        data = series.asarray()
        axes = series.axes
    # tifffile leaves out axes of length 1: put them back in T, C, Z, Y, X order.
    for position, axis in enumerate("TCZYX"):
        if axis not in axes:
            data = numpy.expand_dims(data, position)
            axes = axes[:position] + axis + axes[position:]
    if axes != "TCZYX":
        raise SystemExit("unexpected OME-TIFF axes %s" % axes)
    return data


def describe(store, tiff):
    group = zarr.open_group(store, mode="r")
    multiscale = group.attrs["multiscales"][0]
    dataset = multiscale["datasets"][0]
    array = group[dataset["path"]]
    data = array[:]
    expected = tiff_as_tczyx(tiff)
    chunk_files = [os.path.join(root, name) for root, _, names in os.walk(os.path.join(store, dataset["path"]))
                   for name in names if not name.startswith(".")]
    return {
        "ngff_version": multiscale["version"],
        "axes": multiscale["axes"],
        "dataset_path": dataset["path"],
        "scale": next(t["scale"] for t in dataset["coordinateTransformations"] if t["type"] == "scale"),
        "channel_names": [c["label"] for c in group.attrs["omero"]["channels"]],
        "shape": list(array.shape),
        "dtype": str(array.dtype),
        "chunks": list(array.chunks),
        "compressor": array.compressor.codec_id if array.compressor is not None else None,
        "chunk_files": len(chunk_files),
        "largest_chunk_file_bytes": max(os.path.getsize(f) for f in chunk_files),
        "sum": float(data.astype(numpy.float64).sum()),
        "tiff_shape": list(expected.shape),
        "equal_to_tiff": bool(data.shape == expected.shape and numpy.array_equal(data, expected)),
    }


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "describe":
        raise SystemExit(__doc__)
    print(json.dumps(describe(sys.argv[2], sys.argv[3])))


if __name__ == "__main__":
    main()
