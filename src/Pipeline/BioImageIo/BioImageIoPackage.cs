using System.Reflection;
using System.Security.Cryptography;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.BioImageIo;

/// <summary>
/// Exports a model bundle as a bioimage.io model package (format 0.5): rdf.yaml, the weights as a PyTorch state dict
/// with the network's PyTorch source (fnet.py), test tensors made by LabelFree's own predictor, and README.md.
/// A model-zoo runner (or plain PyTorch) loads the weights into the architecture, z-scores test_input.npy and
/// reproduces test_output.npy within the spec's tolerance.
/// </summary>
public static class BioImageIoPackage
{
    public const string DescriptionFileName = "rdf.yaml";
    public const string WeightsFileName = "weights.pt";
    public const string ArchitectureFileName = "fnet.py";
    public const string TestInputFileName = "test_input.npy";
    public const string TestOutputFileName = "test_output.npy";
    public const string DocumentationFileName = "README.md";

    /// <summary>
    /// Writes the package into <paramref name="outDirectory"/> (created; it must be empty if it exists) and returns
    /// the files written. Runs the model once, on the test input.
    /// </summary>
    /// <param name="testInput">The package's test input for a manifest: an image of the model's input modality on the
    /// model's own grid, every side a multiple of 2^depth (LabelFree.Simulation's BioImageIoTestInput simulates one), so
    /// the test output needs no resampling or padding that a bioimage.io runner would not do.</param>
    /// <exception cref="ModelBundleException">The bundle cannot be loaded.</exception>
    /// <exception cref="BioImageIoExportException">No author or licence, from the options or the bundle; or a non-empty output folder.</exception>
    public static IReadOnlyList<string> Write(string bundleDirectory, string outDirectory, BioImageIoExportOptions options,
        Func<ModelManifest, Volume> testInput, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bundleDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(testInput);
        var manifest = ModelBundle.ReadManifest(bundleDirectory);
        var authors = options.Authors.Count > 0 ? options.Authors : manifest.Authors;
        var license = options.License ?? manifest.License;
        if (authors.Count == 0)
        {
            throw new BioImageIoExportException($"The bundle {bundleDirectory} names no author and none was given: a bioimage.io package needs at least one.");
        }

        if (string.IsNullOrWhiteSpace(license))
        {
            throw new BioImageIoExportException($"The bundle {bundleDirectory} names no licence and none was given: a bioimage.io package needs an SPDX identifier (e.g. CC-BY-4.0).");
        }

        if (Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any())
        {
            throw new BioImageIoExportException($"The output folder {outDirectory} is not empty.");
        }

        Directory.CreateDirectory(outDirectory);
        var input = testInput(manifest);
        var output = PredictWithLabelFree(bundleDirectory, input, InputVoxelSizeOf(manifest), options.Threads, cancellationToken);
        long[] shape = manifest.Network.Dimensions == 3
            ? [1, 1, input.Shape.Z, input.Shape.Y, input.Shape.X]
            : [1, 1, input.Shape.Y, input.Shape.X];

        var file = (string name) => Path.Combine(outDirectory, name);
        File.Copy(Path.Combine(bundleDirectory, manifest.Weights!.File), file(WeightsFileName));
        File.WriteAllText(file(ArchitectureFileName), ArchitectureSource());
        NumpyArchive.WriteNpy(file(TestInputFileName), shape, input.Voxels);
        NumpyArchive.WriteNpy(file(TestOutputFileName), shape, output.Voxels);
        File.WriteAllText(file(DocumentationFileName), BioImageIoDocumentation.Build(manifest, manifest.Inputs[0].Id));

        var files = new BioImageIoDescription.Files(
            WeightsFileName, Sha256Of(file(WeightsFileName)), ArchitectureFileName, Sha256Of(file(ArchitectureFileName)),
            TestInputFileName, Sha256Of(file(TestInputFileName)), TestOutputFileName, Sha256Of(file(TestOutputFileName)), DocumentationFileName);
        // The description last: a folder with rdf.yaml is a finished package.
        File.WriteAllText(file(DescriptionFileName), BioImageIoDescription.Build(manifest, authors, license, files, shape, manifest.CreatedUtc ?? DateTime.UtcNow));
        return [DescriptionFileName, WeightsFileName, ArchitectureFileName, TestInputFileName, TestOutputFileName, DocumentationFileName];
    }

    /// <summary>fnet.py: the network in PyTorch, written in this project.</summary>
    public static string ArchitectureSource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LabelFree.Pipeline.BioImageIo.fnet.py")
            ?? throw new InvalidOperationException("fnet.py is not embedded in LabelFree.Pipeline.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // The test input is already on the model's grid, so LabelFree's predictor runs the network once on the z-scored
    // input, with nothing resampled, padded or tiled: exactly what a bioimage.io runner does with the description.
    private static Volume PredictWithLabelFree(string bundleDirectory, Volume input, VoxelSize? voxelSize, int threads, CancellationToken cancellationToken)
    {
        using var predictor = new StructurePredictor(ModelBundle.Load(bundleDirectory), new PredictionOptions { Threads = threads });
        var prediction = predictor.Predict(input, voxelSize, cancellationToken);
        if (prediction.ModelShape != input.Shape)
        {
            throw new InvalidOperationException($"The test input {input.Shape} was resampled or padded to {prediction.ModelShape}; it must be on the model's grid.");
        }

        return prediction.Volume;
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The test input's voxel size as the predictor is told it: the model's own grid (null for a 2D model without one).</summary>
    private static VoxelSize? InputVoxelSizeOf(ModelManifest manifest) => manifest.Network.Dimensions == 3
        ? manifest.VoxelSize
        : manifest.PixelSizeMicrometres is { } pixel ? new VoxelSize(1, pixel, pixel) : null;
}
