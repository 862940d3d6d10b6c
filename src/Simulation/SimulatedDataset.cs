using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Training;

namespace LabelFree.Simulation;

/// <summary>
/// Writes simulated data sets to disk in the layout a facility's own data would have, so the same
/// commands (train, evaluate, predict, submit) run on them:
/// <list type="bullet">
/// <item><c>fields/field_NNN.ome.tiff</c>: one multi-channel acquisition per field of view: the
/// transmitted-light channel first, then one fluorescence channel per structure (time points kept).</item>
/// <item><c>pairs_{structure}.csv</c>: (signal, target) pairs for training that structure, as channels of the
/// field files; <c>pairs.csv</c> is the one for the first structure.</item>
/// <item><c>controls/{structure}/field_NNN.ome.tiff</c>: the same fields imaged without the label, for C_max.</item>
/// </list>
/// 2D EM/IF pairs are written as <c>em/em_NNN.ome.tiff</c> and <c>if/if_NNN.ome.tiff</c> with <c>pairs.csv</c>.
/// </summary>
public static class SimulatedDataset
{
    public const string PairsCsvName = "pairs.csv";

    /// <summary>Simulates <paramref name="count"/> fields of view, field i with seed <c>scene.Seed + i</c>.</summary>
    public static SimulatedDatasetFiles WriteTransmittedLight(string folder, TransmittedLightScene scene, int count,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        scene.Validate();
        var fieldsFolder = Path.Combine(folder, "fields");
        Directory.CreateDirectory(fieldsFolder);
        var pairs = scene.Structures.ToDictionary(s => s, _ => new List<ImagePair>(), StringComparer.Ordinal);
        var fields = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var field = new TransmittedLightSimulator(scene with { Seed = scene.Seed + i }).Simulate();
            var name = FormattableString.Invariant($"field_{i:000}.ome.tiff");
            var path = Path.Combine(fieldsFolder, name);
            OmeTiffWriter.Write(Acquisition(field), path);
            fields.Add(path);
            for (var s = 0; s < scene.Structures.Count; s++)
            {
                var structure = scene.Structures[s];
                pairs[structure].Add(new ImagePair(path, path, 0, s + 1));
                var controlFolder = Path.Combine(folder, "controls", structure);
                Directory.CreateDirectory(controlFolder);
                OmeTiffWriter.Write(field.Controls[structure], Path.Combine(controlFolder, name));
            }

            progress?.Report(path);
        }

        var csvs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var structure in scene.Structures)
        {
            var csv = Path.Combine(folder, $"pairs_{structure}.csv");
            PairsCsv.Write(csv, pairs[structure]);
            csvs[structure] = csv;
        }

        var main = Path.Combine(folder, PairsCsvName);
        PairsCsv.Write(main, pairs[scene.Structures[0]]);
        return new SimulatedDatasetFiles(main, csvs, fields,
            scene.Structures.ToDictionary(s => s, s => Path.Combine(folder, "controls", s), StringComparer.Ordinal));
    }

    /// <summary>Simulates <paramref name="count"/> EM / IF pairs, pair i with seed <c>scene.Seed + i</c>.</summary>
    public static SimulatedDatasetFiles WriteElectronMicrographs(string folder, ElectronMicrographScene scene, int count,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Directory.CreateDirectory(Path.Combine(folder, "em"));
        Directory.CreateDirectory(Path.Combine(folder, "if"));
        var pairs = new List<ImagePair>();
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var pair = new ElectronMicrographSimulator(scene with { Seed = scene.Seed + i }).Simulate();
            var pixel = new VoxelSize(pair.PixelSizeMicrometres, pair.PixelSizeMicrometres, pair.PixelSizeMicrometres);
            var em = Path.Combine(folder, "em", FormattableString.Invariant($"em_{i:000}.ome.tiff"));
            var immunofluorescence = Path.Combine(folder, "if", FormattableString.Invariant($"if_{i:000}.ome.tiff"));
            OmeTiffWriter.Write(Hyperstack.FromVolume(pair.ElectronMicrograph, pixel, "em"), em);
            OmeTiffWriter.Write(Hyperstack.FromVolume(pair.Immunofluorescence, pixel, "mbp-if"), immunofluorescence);
            pairs.Add(new ImagePair(em, immunofluorescence));
            files.Add(em);
            progress?.Report(em);
        }

        var csv = Path.Combine(folder, PairsCsvName);
        PairsCsv.Write(csv, pairs);
        return new SimulatedDatasetFiles(csv, new Dictionary<string, string> { ["mbp"] = csv }, files, new Dictionary<string, string>());
    }

    // One acquisition: channel 0 bright-field, then the structures in order.
    private static Hyperstack Acquisition(SimulatedFieldOfView field)
    {
        var light = field.TransmittedLight;
        var channels = new List<Hyperstack> { light };
        channels.AddRange(field.Structures.Select(s => field.Fluorescence[s]));
        var volumes = new List<Volume>();
        for (var t = 0; t < light.Frames; t++)
        {
            volumes.AddRange(channels.Select(c => c[t, 0]));
        }

        var names = new List<string> { light.ChannelNames[0] };
        names.AddRange(field.Structures);
        return new Hyperstack(light.Frames, channels.Count, volumes, light.VoxelSize, names, light.FrameIntervalSeconds);
    }
}
