using System.CommandLine;
using LabelFree.Pipeline.Imaging;
using LabelFree.Simulation;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree simulate`: synthetic paired data with known truth, written as OME-TIFFs plus pairs.csv.</summary>
public static class SimulateVerb
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind")
        {
            Description = "tl3d: transmitted-light z-stacks with fluorescence targets and controls; em2d: electron micrographs with immunofluorescence.",
            DefaultValueFactory = _ => "tl3d",
        };
        kind.AcceptOnlyFromAmong("tl3d", "em2d");
        var count = new Option<int>("--count") { Description = "Fields of view (tl3d) or image pairs (em2d) to write.", DefaultValueFactory = _ => 4 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write into (created if missing).", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed; the same seed writes the same voxels.", DefaultValueFactory = _ => 1 };
        var structures = new Option<string[]>("--structures")
        {
            Description = $"tl3d structures, comma-separated, from: {string.Join(", ", CellStructure.All)}.",
            CustomParser = CliValues.List,
            DefaultValueFactory = _ => [CellStructure.Dna, CellStructure.Membrane],
        };
        var shape = new Option<VolumeShape?>("--shape")
        {
            Description = "tl3d stack size Z,Y,X in voxels (default 32,64,64); em2d image size Y,X (default 512,512).",
            CustomParser = CliValues.Shape,
        };
        var frames = new Option<int>("--frames") { Description = "tl3d time points per field (cells drift between them).", DefaultValueFactory = _ => 1 };
        var voxelSize = new Option<VoxelSize?>("--voxel-size")
        {
            Description = "tl3d voxel size Z,Y,X in µm (default 0.29 isotropic, the paper's grid).",
            CustomParser = CliValues.VoxelSize,
        };
        var command = new Command("simulate",
            "Write simulated paired images with known truth: tl3d fields/*.ome.tiff (bright-field + one channel per structure), " +
            "pairs_<structure>.csv and pairs.csv, controls/<structure>/ for C_max; em2d em/, if/ and pairs.csv.")
        {
            kind, count, output, seed, structures, shape, frames, voxelSize,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var n = parsed.GetValue(count);
            if (n < 1 || parsed.GetValue(frames) < 1)
            {
                throw new UsageException("--count and --frames must be at least 1.");
            }

            var folder = parsed.GetValue(output)!.FullName;
            var progress = new InlineProgress<string>(path => Console.WriteLine($"wrote {Path.GetRelativePath(folder, path)}"));
            SimulatedDatasetFiles files;
            if (parsed.GetValue(kind) == "em2d")
            {
                var size = parsed.GetValue(shape) ?? new VolumeShape(1, 512, 512);
                files = SimulatedDataset.WriteElectronMicrographs(folder,
                    new ElectronMicrographScene { Height = size.Y, Width = size.X, Seed = parsed.GetValue(seed) }, n, progress);
            }
            else
            {
                var scene = new TransmittedLightScene
                {
                    Seed = parsed.GetValue(seed),
                    Structures = parsed.GetValue(structures)!,
                    Frames = parsed.GetValue(frames),
                };
                scene = scene with
                {
                    Shape = parsed.GetValue(shape) ?? scene.Shape,
                    VoxelSize = parsed.GetValue(voxelSize) ?? scene.VoxelSize,
                };
                try
                {
                    scene.Validate();
                }
                catch (ArgumentException error)
                {
                    throw new UsageException(error.Message);
                }

                files = SimulatedDataset.WriteTransmittedLight(folder, scene, n, progress);
            }

            Console.WriteLine($"pairs: {files.PairsCsv}");
            foreach (var (structure, csv) in files.PairsCsvByStructure)
            {
                Console.WriteLine($"  {structure}: {csv}{(files.ControlFolders.TryGetValue(structure, out var controls) ? $" (controls: {controls})" : string.Empty)}");
            }

            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }
}
