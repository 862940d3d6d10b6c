using System.CommandLine;
using System.Globalization;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree predict`: one or more structure models on one transmitted-light file -> one integrated OME-TIFF or OME-Zarr.</summary>
public static class PredictVerb
{
    private const string OmeTiff = "ome-tiff";
    private const string OmeZarr = "ome-zarr";

    public static Command Create()
    {
        var models = new Option<DirectoryInfo[]>("--model") { Description = "A model bundle folder; repeat for more structures (one output channel each).", Required = true, AllowMultipleArgumentsPerToken = true };
        var input = new Option<FileInfo>("--input") { Description = "The transmitted-light image (TIFF, ImageJ or OME-TIFF; any number of time points).", Required = true }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "The OME-TIFF file or OME-Zarr folder to write: one channel per structure, on the input's grid.", Required = true };
        var format = new Option<string?>("--format") { Description = "ome-tiff or ome-zarr (OME-NGFF 0.4, Zarr v2; default: ome-zarr when --out ends in .zarr, else ome-tiff)." };
        format.AcceptOnlyFromAmong(OmeTiff, OmeZarr);
        var channel = new Option<string?>("--channel") { Description = "The transmitted-light channel of the input, by index or name (default: the only channel, or 0)." };
        var voxelSize = new Option<VoxelSize?>("--voxel-size") { Description = "Override the input's voxel size Z,Y,X in µm (needed when the file does not record it).", CustomParser = CliValues.VoxelSize };
        var crop = new Option<bool>("--crop") { Description = "Centre-crop to a multiple of 16 as the paper did (margins are 0) instead of reflect-padding." };
        var precision = new Option<Precision>("--precision") { Description = "float32, or bfloat16 (about 2x faster on CPUs with AVX-512 BF16).", DefaultValueFactory = _ => Precision.Float32 };
        var maxVoxels = new Option<long>("--max-voxels") { Description = "Largest volume predicted in one pass (the memory bound); larger ones are tiled, the tile shape chosen per volume.", DefaultValueFactory = _ => PredictionOptions.DefaultMaxVoxelsPerPass };
        var margin = new Option<int?>("--margin") { Description = "Voxels a tile's output stays from its inner edges (default: from the network's receptive field, 107 for the paper's 3D net)." };
        var tta = new Option<bool>("--tta") { Description = "Test-time augmentation: average the predictions of the 8 flips and 90-degree rotations in YX (8x the network time)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch.", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("predict", "Predict fluorescence for every given structure model from one transmitted-light image and write the integrated multi-channel OME-TIFF.")
        {
            models, input, output, format, channel, voxelSize, crop, precision, maxVoxels, margin, tta, threads,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var defaults = new PredictionOptions();
            var options = defaults with
            {
                Precision = parsed.GetValue(precision),
                MaxVoxelsPerPass = parsed.GetValue(maxVoxels),
                Margin = parsed.GetValue(margin),
                Threads = parsed.GetValue(threads),
                TestTimeAugmentation = parsed.GetValue(tta),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException error)
            {
                throw new UsageException(error.Message);
            }

            var adjustment = parsed.GetValue(crop) ? GridAdjustmentMode.CentreCrop : GridAdjustmentMode.ReflectPad;
            var path = parsed.GetValue(input)!.FullName;
            var image = HyperstackFile.Read(path);
            var light = image.SelectChannel(ChannelChoice.Resolve(image, parsed.GetValue(channel), path));
            if (parsed.GetValue(voxelSize) is { } size)
            {
                light = light.WithVoxelSize(size);
            }

            VerbCompute.Require(options.Threads, ComputePaths.Inference(options.Precision));
            var predictors = parsed.GetValue(models)!.Select(m => new StructurePredictor(ModelBundle.Load(m.FullName), options, adjustment)).ToList();
            try
            {
                var result = new IntegratedPredictor(predictors).Predict(light, cancellation);
                var outputPath = parsed.GetValue(output)!.FullName;
                if (FormatOf(parsed.GetValue(format), outputPath) == OmeZarr)
                {
                    OmeZarrWriter.WriteAsync(result.Image, outputPath, cancellationToken: cancellation).GetAwaiter().GetResult();
                }
                else
                {
                    OmeTiffWriter.Write(result.Image, outputPath);
                }

                foreach (var (structure, seconds) in result.InferenceByStructure)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{structure}: {seconds.TotalSeconds:0.00} s network time"));
                }

                Console.WriteLine($"{result.Predictions[0].ResamplingDecision}");
                Console.WriteLine($"wrote {outputPath} ({result.Image.Shape}, channels {string.Join(", ", result.Image.ChannelNames)})");
                return ExitCodes.Ok;
            }
            finally
            {
                predictors.ForEach(p => p.Dispose());
            }
        }, cancellation));
        return command;
    }

    private static string FormatOf(string? requested, string outputPath) =>
        requested ?? (Path.TrimEndingDirectorySeparator(outputPath).EndsWith(".zarr", StringComparison.OrdinalIgnoreCase) ? OmeZarr : OmeTiff);
}
