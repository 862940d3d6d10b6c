#!/usr/bin/python3
"""Cross-checks LabelFree's TIFF reader and writer against tifffile (run with Debian's /usr/bin/python3).

  describe FILE...   print JSON: what tifffile reads from each file (series 0: axes, shape, dtype, statistics,
                     a few values, flags) and what the OME-XML says (sizes, physical sizes, channel names).
  write FOLDER       write fixture TIFFs with tifffile, each with NAME.expected.f32 (the image tifffile was given,
                     as float32 in T,C,Z,Y,X order, little-endian) and print a JSON manifest of what a reader
                     must report for each fixture.
"""
import json
import sys
import xml.etree.ElementTree as ElementTree

import numpy
import tifffile


def local(tag):
    return tag.rsplit('}', 1)[-1]


def ome_facts(xml):
    root = ElementTree.fromstring(xml)
    image = next(e for e in root if local(e.tag) == 'Image')
    pixels = next(e for e in image if local(e.tag) == 'Pixels')
    channels = [e for e in pixels if local(e.tag) == 'Channel']
    annotations = {}
    for element in root.iter():
        if local(element.tag) == 'MapAnnotation':
            pairs = {m.get('K'): m.text for m in element.iter() if local(m.tag) == 'M'}
            annotations[element.get('ID')] = {'namespace': element.get('Namespace'), 'pairs': pairs}
    return {
        'image_id': image.get('ID'),
        'pixels_id': pixels.get('ID'),
        'dimension_order': pixels.get('DimensionOrder'),
        'type': pixels.get('Type'),
        'sizes': {axis: int(pixels.get('Size' + axis)) for axis in 'XYZCT'},
        'physical_size': {axis: (float(pixels.get('PhysicalSize' + axis)) if pixels.get('PhysicalSize' + axis) else None) for axis in 'XYZ'},
        'physical_size_unit': {axis: pixels.get('PhysicalSize' + axis + 'Unit') for axis in 'XYZ'},
        'time_increment': float(pixels.get('TimeIncrement')) if pixels.get('TimeIncrement') else None,
        'channel_ids': [c.get('ID') for c in channels],
        'channel_names': [c.get('Name') for c in channels],
        'channel_samples': [c.get('SamplesPerPixel') for c in channels],
        'map_annotations': annotations,
        'uuid': root.get('UUID'),
    }


def describe(path):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        data = series.asarray()
        wide = data.astype(numpy.float64)
        page = tif.pages[0]
        facts = {
            'path': path,
            'axes': series.axes,
            'shape': list(series.shape),
            'dtype': str(series.dtype),
            'is_ome': bool(tif.is_ome),
            'is_imagej': bool(tif.is_imagej),
            'is_bigtiff': bool(tif.is_bigtiff),
            'byteorder': tif.byteorder,
            'pages': len(tif.pages),
            'compression': int(page.compression),
            'sum': float(wide.sum()),
            'mean': float(wide.mean()),
            'min': float(wide.min()),
            'max': float(wide.max()),
            'first_values': [float(v) for v in wide.ravel()[:8]],
            'last_values': [float(v) for v in wide.ravel()[-8:]],
            'ome': ome_facts(tif.ome_metadata) if tif.is_ome else None,
        }
        return facts


def to_tczyx(data, axes):
    """The array in T, C, Z, Y, X order with missing axes of size 1 (S, an RGB sample axis, stays last)."""
    for axis in 'TCZYX':
        if axis not in axes:
            data = data[numpy.newaxis]
            axes = axis + axes
    order = [axes.index(axis) for axis in 'TCZYX'] + ([axes.index('S')] if 'S' in axes else [])
    return numpy.ascontiguousarray(numpy.transpose(data, order))


def save_expected(folder, name, data, axes, sample=None):
    tczyx = to_tczyx(data, axes)
    if sample is not None:
        tczyx = tczyx[..., sample]
    tczyx.astype('<f4').tofile(f'{folder}/{name}.expected.f32')
    return list(tczyx.shape)


def write(folder):
    rng = numpy.random.default_rng(20180917)
    manifest = {}

    def add(name, data, axes, sample=None, **expected):
        entry = {'file': f'{folder}/{name}.tif', 'expected': f'{folder}/{name}.expected.f32',
                 'shape_tczyx': save_expected(folder, name, data, axes, sample), 'sample': sample}
        entry.update(expected)
        manifest[name] = entry

    # ImageJ hyperstack, float32, TZCYX, calibrated: 0.25 um pixels, 0.5 um z-spacing, 3 s frame interval.
    hyper = rng.normal(100, 20, size=(2, 3, 2, 20, 24)).astype(numpy.float32)
    tifffile.imwrite(f'{folder}/imagej_tzcyx_float32.tif', hyper, imagej=True, resolution=(4.0, 4.0),
                     metadata={'axes': 'TZCYX', 'spacing': 0.5, 'unit': 'um', 'finterval': 3.0})
    add('imagej_tzcyx_float32', hyper, 'TZCYX', flavor='ImageJ', voxel_size_zyx=[0.5, 0.25, 0.25], frame_interval=3.0)

    stack = rng.integers(0, 65535, size=(5, 30, 40), dtype=numpy.uint16)
    tifffile.imwrite(f'{folder}/imagej_zyx_uint16.tif', stack, imagej=True, resolution=(1 / 0.108, 1 / 0.108),
                     metadata={'axes': 'ZYX', 'spacing': 0.29, 'unit': 'um'})
    add('imagej_zyx_uint16', stack, 'ZYX', flavor='ImageJ', voxel_size_zyx=[0.29, 0.108, 0.108])

    # OME-TIFF in every DimensionOrder tifffile can write: the plane order in the file differs for each.
    for axes in ['TCZYX', 'CZTYX', 'ZTCYX', 'TZCYX', 'CTZYX', 'ZCTYX']:
        sizes = {'T': 2, 'C': 3, 'Z': 4, 'Y': 12, 'X': 10}
        data = rng.integers(0, 4000, size=[sizes[a] for a in axes], dtype=numpy.uint16)
        name = f'ome_{axes.lower()}_uint16'
        tifffile.imwrite(f'{folder}/{name}.tif', data, ome=True, metadata={
            'axes': axes, 'PhysicalSizeX': 0.2, 'PhysicalSizeY': 0.3, 'PhysicalSizeZ': 0.9, 'TimeIncrement': 2.5,
            'Channel': {'Name': ['bright', 'dna', 'membrane']}})
        add(name, data, axes, flavor='OmeTiff', voxel_size_zyx=[0.9, 0.3, 0.2], frame_interval=2.5,
            channel_names=['bright', 'dna', 'membrane'])

    # Two OME series of different shapes in one file: readers take the first.
    first = rng.normal(size=(3, 16, 18)).astype(numpy.float32)
    with tifffile.TiffWriter(f'{folder}/ome_two_series.tif', ome=True) as writer:
        writer.write(first, metadata={'axes': 'ZYX'})
        writer.write(rng.integers(0, 255, size=(7, 9), dtype=numpy.uint8), metadata={'axes': 'YX'})
    add('ome_two_series', first, 'ZYX', flavor='OmeTiff', image_count=2)

    # tifffile guesses RGB for a leading or trailing axis of 3 or 4; minisblack keeps such stacks grayscale.
    plain = rng.normal(size=(4, 33, 27)).astype(numpy.float32)
    tifffile.imwrite(f'{folder}/bigtiff_zyx_float32.tif', plain, bigtiff=True, photometric='minisblack')
    add('bigtiff_zyx_float32', plain, 'ZYX', flavor='Plain', bigtiff=True)

    tiled = rng.integers(0, 65535, size=(3, 40, 50), dtype=numpy.uint16)
    tifffile.imwrite(f'{folder}/tiled_zyx_uint16.tif', tiled, tile=(16, 16), photometric='minisblack')
    add('tiled_zyx_uint16', tiled, 'ZYX', flavor='Plain', tiled=True)

    smooth = (numpy.add.outer(numpy.arange(48), numpy.arange(64)) * 100 + rng.integers(0, 50, size=(48, 64))).astype(numpy.uint16)
    tifffile.imwrite(f'{folder}/zlib_predictor_uint16.tif', smooth, compression='zlib', predictor=True)
    add('zlib_predictor_uint16', smooth, 'YX', flavor='Plain', compression=8)

    deflated = rng.normal(size=(2, 20, 30)).astype(numpy.float32)
    tifffile.imwrite(f'{folder}/zlib_zyx_float32.tif', deflated, compression='zlib', rowsperstrip=7)
    add('zlib_zyx_float32', deflated, 'ZYX', flavor='Plain', compression=8)

    big_endian = rng.normal(size=(2, 14, 22)).astype(numpy.float32)
    tifffile.imwrite(f'{folder}/bigendian_zyx_float32.tif', big_endian, byteorder='>')
    add('bigendian_zyx_float32', big_endian, 'ZYX', flavor='Plain', big_endian=True)

    big_endian16 = rng.integers(0, 65535, size=(26, 34), dtype=numpy.uint16)
    tifffile.imwrite(f'{folder}/bigendian_zlib_predictor_uint16.tif', big_endian16, byteorder='>', compression='zlib', predictor=True)
    add('bigendian_zlib_predictor_uint16', big_endian16, 'YX', flavor='Plain', big_endian=True, compression=8)

    # Every other sample type the reader converts to float32 (values chosen to be exact in float32 where possible).
    for dtype, low, high in [('int8', -128, 127), ('int16', -30000, 30000), ('uint32', 0, 2 ** 24), ('int32', -2 ** 24, 2 ** 24)]:
        typed = rng.integers(low, high, size=(2, 9, 11)).astype(dtype)
        tifffile.imwrite(f'{folder}/{dtype}_zyx.tif', typed)
        add(f'{dtype}_zyx', typed, 'ZYX', flavor='Plain')
    for dtype in ['float16', 'float64']:
        typed = rng.normal(size=(2, 9, 11)).astype(dtype)
        tifffile.imwrite(f'{folder}/{dtype}_zyx.tif', typed)
        add(f'{dtype}_zyx', typed, 'ZYX', flavor='Plain')

    # RGB, interleaved and planar: readable only with a chosen sample (here green, sample 1).
    rgb = rng.integers(0, 255, size=(15, 17, 3), dtype=numpy.uint8)
    tifffile.imwrite(f'{folder}/rgb_contig_uint8.tif', rgb, photometric='rgb')
    add('rgb_contig_uint8', rgb, 'YXS', sample=1, flavor='Plain')
    planar = rng.integers(0, 65535, size=(3, 15, 17), dtype=numpy.uint16)
    tifffile.imwrite(f'{folder}/rgb_planar_uint16.tif', planar, photometric='rgb', planarconfig='separate')
    add('rgb_planar_uint16', numpy.moveaxis(planar, 0, -1), 'YXS', sample=1, flavor='Plain')

    print(json.dumps(manifest))


def main():
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == 'describe':
        print(json.dumps([describe(path) for path in arguments]))
    elif command == 'write':
        write(arguments[0])
    else:
        raise SystemExit(f'unknown command {command}')


if __name__ == '__main__':
    main()
