using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelFree.Pipeline.Imaging.Zarr;

/// <summary>
/// The JSON documents of an OME-NGFF 0.4 image in Zarr v2: .zgroup, the array's .zarray and the group's .zattrs
/// (one multiscale level with axes t, c, z, y, x, units, a scale transformation, and channel names in omero).
/// </summary>
internal static class OmeZarrMetadata
{
    public const string NgffVersion = "0.4";

    // numcodecs' zlib codec: the zlib stream format (RFC 1950) that System.IO.Compression.ZLibStream writes.
    public const string ZlibCodec = "zlib";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static byte[] Group() => Serialize(new JsonObject { ["zarr_format"] = 2 });

    public static byte[] Array(ZarrChunkGrid grid, int? zlibLevel) => Serialize(new JsonObject
    {
        ["zarr_format"] = 2,
        ["shape"] = Numbers(grid.Shape.T, grid.Shape.C, grid.Shape.Z, grid.Shape.Y, grid.Shape.X),
        ["chunks"] = Numbers(grid.ChunkShape),
        ["dtype"] = "<f4",
        ["compressor"] = zlibLevel is { } level ? new JsonObject { ["id"] = ZlibCodec, ["level"] = level } : null,
        ["fill_value"] = 0.0,
        ["order"] = "C",
        ["filters"] = null,
        // NGFF 0.4: chunk keys are nested folders (0/t/c/z/y/x).
        ["dimension_separator"] = "/",
    });

    public static byte[] Attributes(Hyperstack image, string name, string arrayPath)
    {
        var size = image.VoxelSize;
        var spaceUnit = size is null ? null : "micrometer";
        var timeUnit = image.FrameIntervalSeconds is null ? null : "second";
        var axes = new JsonArray(
            Axis("t", "time", timeUnit),
            Axis("c", "channel", null),
            Axis("z", "space", spaceUnit),
            Axis("y", "space", spaceUnit),
            Axis("x", "space", spaceUnit));
        var scale = Numbers(image.FrameIntervalSeconds ?? 1.0, 1.0, size?.Z ?? 1.0, size?.Y ?? 1.0, size?.X ?? 1.0);
        var multiscale = new JsonObject
        {
            ["version"] = NgffVersion,
            ["name"] = name,
            ["axes"] = axes,
            ["datasets"] = new JsonArray(new JsonObject
            {
                ["path"] = arrayPath,
                ["coordinateTransformations"] = new JsonArray(new JsonObject { ["type"] = "scale", ["scale"] = scale }),
            }),
        };
        var channels = new JsonArray();
        for (var c = 0; c < image.Channels; c++)
        {
            var (min, max) = Range(image, c);
            channels.Add(new JsonObject
            {
                ["label"] = image.ChannelNames[c],
                ["color"] = "FFFFFF",
                ["active"] = true,
                ["window"] = new JsonObject { ["min"] = min, ["max"] = max, ["start"] = min, ["end"] = max },
            });
        }

        return Serialize(new JsonObject
        {
            ["multiscales"] = new JsonArray(multiscale),
            ["omero"] = new JsonObject
            {
                ["version"] = NgffVersion,
                ["name"] = name,
                ["channels"] = channels,
                ["rdefs"] = new JsonObject { ["model"] = "greyscale", ["defaultT"] = 0, ["defaultZ"] = image.Shape.Z / 2 },
            },
        });
    }

    private static JsonObject Axis(string name, string type, string? unit)
    {
        var axis = new JsonObject { ["name"] = name, ["type"] = type };
        if (unit is not null)
        {
            axis["unit"] = unit;
        }

        return axis;
    }

    // The display window of a channel: its finite values' range over every time point (0..1 when it has none).
    private static (double Min, double Max) Range(Hyperstack image, int channel)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        for (var t = 0; t < image.Frames; t++)
        {
            foreach (var value in image[t, channel].Voxels)
            {
                if (float.IsFinite(value))
                {
                    min = Math.Min(min, value);
                    max = Math.Max(max, value);
                }
            }
        }

        return min <= max ? (min, max) : (0, 1);
    }

    private static JsonArray Numbers(params double[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonArray Numbers(params int[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static byte[] Serialize(JsonObject document) => JsonSerializer.SerializeToUtf8Bytes(document, Indented);
}
