using System.CommandLine;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree import-pytorch`: a PyTorch state dict or pytorch_fnet checkpoint -> a model bundle.</summary>
public static class ImportPyTorchVerb
{
    public static Command Create()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "torch.save(state_dict) file, or a pytorch_fnet model.p checkpoint (weights under nn_state), in the zip format of PyTorch 1.6+ or the legacy format of PyTorch 0.4-1.5. Never executed: only tensors are read.", Required = true }.AcceptExistingOnly();
        var dims = new Option<int>("--dims") { Description = "2 or 3: the network's convolutions (checked against the weights).", Required = true };
        dims.AcceptOnlyFromAmong("2", "3");
        var structure = new Option<string>("--structure") { Description = "What the model predicts (e.g. dna).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the model bundle.", Required = true };
        var voxelSize = new Option<VoxelSize?>("--voxel-size") { Description = "3D: the voxel size Z,Y,X in µm the model was trained at (default 0.29 isotropic, the paper's).", CustomParser = CliValues.VoxelSize };
        var pixelSize = new Option<double?>("--pixel-um") { Description = "2D: the pixel size in µm the model was trained at (omit: images used at their own sampling)." };
        var modality = new Option<string>("--modality") { Description = "Input modality: BrightField, Dic or Em (default: BrightField for 3D, Em for 2D)." };
        modality.AcceptOnlyFromAmong("BrightField", "Dic", "Em");
        var command = new Command("import-pytorch", "Convert PyTorch fnet weights (a state dict or a pytorch_fnet checkpoint) into a LabelFree model bundle.")
        {
            weights, dims, structure, output, voxelSize, pixelSize, modality,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var dimensions = parsed.GetValue(dims);
            var card = new ModelCard(parsed.GetValue(structure)!, parsed.GetValue(modality) ?? (dimensions == 3 ? "BrightField" : "Em"))
            {
                VoxelSize = dimensions == 3 ? parsed.GetValue(voxelSize) ?? VoxelSize.PaperIsotropic : null,
                PixelSizeMicrometres = dimensions == 2 ? parsed.GetValue(pixelSize) : null,
                Description = $"Imported from {parsed.GetValue(weights)!.Name}",
            };
            using var bundle = PyTorchImport.Import(parsed.GetValue(weights)!.FullName, card);
            if (bundle.Manifest.Network.Dimensions != dimensions)
            {
                throw new UsageException($"--dims {dimensions} was given but the weights are a {bundle.Manifest.Network.Dimensions}D network.");
            }

            var folder = parsed.GetValue(output)!.FullName;
            var manifest = bundle.Save(folder);
            Console.WriteLine($"imported {manifest.Network} as '{manifest.Structure}' into {folder} (weights sha256 {manifest.Weights?.Sha256})");
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }
}
