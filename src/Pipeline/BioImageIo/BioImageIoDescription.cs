using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.BioImageIo;

/// <summary>
/// The model description (rdf.yaml) of a bioimage.io package, format 0.5. Written as JSON, which is YAML too:
/// every YAML reader the model zoo uses loads it, and no YAML writer is needed.
/// </summary>
internal static class BioImageIoDescription
{
    public const string FormatVersion = "0.5.7";

    /// <summary>bioimage.io's default reproducibility tolerance, which the package's test tensors meet.</summary>
    public const double RelativeTolerance = 1e-3;

    public const double AbsoluteTolerance = 1e-3;

    /// <summary>numpy-style z-score epsilon of zero_mean_unit_variance (the spec's default).</summary>
    public const double ZScoreEpsilon = 1e-6;

    public static readonly string PaperCitation =
        "Ounkomol C, Seshamani S, Maleckar MM, Collman F, Johnson GR. Label-free prediction of three-dimensional " +
        "fluorescence images from transmitted-light microscopy. Nature Methods 15, 917-920 (2018).";

    public const string PaperDoi = "10.1038/s41592-018-0111-2";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record Files(
        string Weights, string WeightsSha256, string Architecture, string ArchitectureSha256,
        string TestInput, string TestInputSha256, string TestOutput, string TestOutputSha256, string Documentation);

    public static string Build(ModelManifest manifest, IReadOnlyList<ModelAuthor> authors,
        string license, Files files, long[] testShape, DateTime timestamp)
    {
        var network = manifest.Network;
        var spatial = network.Dimensions == 3 ? new[] { "z", "y", "x" } : ["y", "x"];
        var input = manifest.Inputs[0].Id;
        var output = manifest.Outputs[0].Id;
        var description = new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["type"] = "model",
            ["name"] = NameOf(manifest),
            ["description"] = Truncate(manifest.Description is { Length: > 0 } text
                ? text
                : $"Predicts {manifest.Structure} fluorescence from {manifest.InputModality} images (label-free prediction, fnet U-Net).", 1024),
            ["authors"] = new JsonArray(authors.Select(Author).ToArray()),
            ["cite"] = new JsonArray(new JsonObject { ["text"] = PaperCitation, ["doi"] = PaperDoi }),
            ["license"] = license,
            ["documentation"] = files.Documentation,
            ["tags"] = Strings("label-free prediction", "fnet", "unet", $"{network.Dimensions}d", "fluorescence", "pytorch",
                manifest.Structure.ToLowerInvariant(), manifest.InputModality.ToLowerInvariant()),
            ["packaged_by"] = new JsonArray(new JsonObject { ["name"] = "LabelFree (labelfree export-bioimageio)" }),
            ["timestamp"] = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["id"] = input,
                ["description"] = $"{manifest.InputModality} image, raw intensities; {NormalisationText(manifest)} per sample before the network.",
                ["axes"] = InputAxes(manifest, spatial),
                ["test_tensor"] = File(files.TestInput, files.TestInputSha256),
                ["data"] = new JsonObject { ["type"] = "float32" },
                ["preprocessing"] = new JsonArray(Preprocessing(manifest, spatial)),
            }),
            ["outputs"] = new JsonArray(new JsonObject
            {
                ["id"] = output,
                ["description"] = $"Predicted {manifest.Structure} fluorescence in the units of the training targets ({NormalisationText(manifest)}).",
                ["axes"] = OutputAxes(manifest, spatial, input),
                ["test_tensor"] = File(files.TestOutput, files.TestOutputSha256),
                ["data"] = new JsonObject { ["type"] = "float32", ["unit"] = "arbitrary unit" },
            }),
            ["weights"] = new JsonObject
            {
                ["pytorch_state_dict"] = new JsonObject
                {
                    ["source"] = files.Weights,
                    ["sha256"] = files.WeightsSha256,
                    ["architecture"] = new JsonObject
                    {
                        ["source"] = files.Architecture,
                        ["sha256"] = files.ArchitectureSha256,
                        ["callable"] = "Net",
                        ["kwargs"] = new JsonObject
                        {
                            ["dims"] = network.Dimensions,
                            ["depth"] = network.Depth,
                            ["mult_chan"] = network.MultChan,
                            ["in_channels"] = network.InChannels,
                            ["out_channels"] = network.OutChannels,
                        },
                    },
                    ["pytorch_version"] = LibraryVersions.Current.LibTorch,
                },
            },
            ["config"] = new JsonObject
            {
                ["bioimageio"] = new JsonObject
                {
                    ["reproducibility_tolerance"] = new JsonArray(new JsonObject
                    {
                        ["relative_tolerance"] = Number(RelativeTolerance),
                        ["absolute_tolerance"] = Number(AbsoluteTolerance),
                    }),
                    ["architecture_type"] = "U-Net",
                    ["modality"] = manifest.InputModality,
                    ["target_structure"] = Strings(manifest.Structure),
                    ["task"] = "label-free prediction of fluorescence",
                },
                ["labelfree"] = new JsonObject
                {
                    ["structure"] = manifest.Structure,
                    ["input_modality"] = manifest.InputModality,
                    ["normalisation"] = manifest.Normalisation,
                    ["origin"] = manifest.Origin,
                    ["test_tensor_shape"] = new JsonArray(testShape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                },
            },
        };
        return description.ToJsonString(Indented) + "\n";
    }

    private static JsonArray InputAxes(ModelManifest manifest, string[] spatial)
    {
        var axes = new JsonArray(
            new JsonObject { ["type"] = "batch" },
            new JsonObject { ["type"] = "channel", ["channel_names"] = Strings(manifest.Inputs[0].Id) });
        var multiple = manifest.Network.SpatialMultiple;
        foreach (var axis in spatial)
        {
            axes.Add(SpaceAxis(manifest, axis, new JsonObject { ["min"] = multiple, ["step"] = multiple }));
        }

        return axes;
    }

    private static JsonArray OutputAxes(ModelManifest manifest, string[] spatial, string input)
    {
        var axes = new JsonArray(
            new JsonObject { ["type"] = "batch" },
            new JsonObject { ["type"] = "channel", ["channel_names"] = Strings(manifest.Outputs[0].Id) });
        foreach (var axis in spatial)
        {
            axes.Add(SpaceAxis(manifest, axis, new JsonObject { ["tensor_id"] = input, ["axis_id"] = axis }));
        }

        return axes;
    }

    private static JsonObject SpaceAxis(ModelManifest manifest, string axis, JsonNode size)
    {
        var space = new JsonObject { ["id"] = axis, ["type"] = "space", ["size"] = size };
        double? scale = manifest.Network.Dimensions == 3
            ? axis switch { "z" => manifest.VoxelSize!.Value.Z, "y" => manifest.VoxelSize!.Value.Y, _ => manifest.VoxelSize!.Value.X }
            : manifest.PixelSizeMicrometres;
        if (scale is { } micrometres)
        {
            space["unit"] = "micrometer";
            space["scale"] = Number(micrometres);
        }

        return space;
    }

    private static JsonObject Author(ModelAuthor author)
    {
        var node = new JsonObject { ["name"] = author.Name };
        if (author.Affiliation is { Length: > 0 } affiliation)
        {
            node["affiliation"] = affiliation;
        }

        return node;
    }

    // System.Text.Json writes 1e-6 as 1E-06, which YAML 1.1 readers (PyYAML) take for a string: a decimal is written 0.000001.
    // bioimage.io's own pre-processing steps reproduce each normalisation LabelFree applies, so other tools feed the
    // network exactly what it was trained on.
    private static JsonObject Preprocessing(ModelManifest manifest, string[] spatial) => manifest.Normalisation switch
    {
        InputNormalisation.Percentile => new JsonObject
        {
            ["id"] = "scale_range",
            ["kwargs"] = new JsonObject
            {
                ["axes"] = Strings(spatial),
                ["min_percentile"] = Number(PercentileNormalisation.LowPercentile),
                ["max_percentile"] = Number(PercentileNormalisation.HighPercentile),
                ["eps"] = Number(ZScoreEpsilon),
            },
        },
        _ => new JsonObject
        {
            ["id"] = "zero_mean_unit_variance",
            ["kwargs"] = new JsonObject { ["axes"] = Strings(spatial), ["eps"] = Number(ZScoreEpsilon) },
        },
    };

    private static string NormalisationText(ModelManifest manifest) => manifest.Normalisation == InputNormalisation.Percentile
        ? FormattableString.Invariant($"scaled from the {PercentileNormalisation.LowPercentile}th and {PercentileNormalisation.HighPercentile}th percentiles to 0 and 1")
        : "z-scored";

    private static JsonValue Number(double value) => JsonValue.Create((decimal)value);

    private static JsonObject File(string source, string sha256) => new() { ["source"] = source, ["sha256"] = sha256 };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    // The spec asks for 5 to 128 characters.
    private static string NameOf(ModelManifest manifest)
    {
        var name = manifest.Name.Trim();
        return Truncate(name.Length >= 5 ? name : $"LabelFree {name}", 128);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
