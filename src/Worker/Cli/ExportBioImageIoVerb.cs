using System.CommandLine;
using System.IO.Compression;
using LabelFree.Pipeline.BioImageIo;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Simulation;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree export-bioimageio MODEL --out DIR [--zip]`: a model bundle -> a bioimage.io model package (format 0.5).</summary>
public static class ExportBioImageIoVerb
{
    public static Command Create()
    {
        var model = new Argument<DirectoryInfo>("MODEL") { Description = "The model bundle folder (model.json, weights.pt)." }.AcceptExistingOnly();
        var output = new Option<DirectoryInfo>("--out") { Description = "The package folder to write (created; must be empty if it exists).", Required = true };
        var zip = new Option<bool>("--zip") { Description = "Also pack the folder as DIR.zip, the single file the model zoo takes." };
        var authors = new Option<string[]>("--author") { Description = "An author's name; repeat for more (default: the bundle's authors).", AllowMultipleArgumentsPerToken = true };
        var license = new Option<string?>("--license") { Description = "SPDX licence identifier of the weights, e.g. CC-BY-4.0 (default: the bundle's)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch (the test prediction).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("export-bioimageio",
            "Export a model bundle as a bioimage.io model package: rdf.yaml (format 0.5), PyTorch state-dict weights with the network's " +
            "PyTorch source, test tensors made by LabelFree's predictor, and documentation.")
        {
            model, output, zip, authors, license, threads,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var folder = parsed.GetValue(output)!.FullName;
            var options = new BioImageIoExportOptions
            {
                Authors = (parsed.GetValue(authors) ?? []).Select(name => new ModelAuthor(name)).ToArray(),
                License = parsed.GetValue(license),
                Threads = parsed.GetValue(threads),
            };
            VerbCompute.Require(options.Threads, ComputePaths.Inference(Precision.Float32));
            var files = BioImageIoPackage.Write(parsed.GetValue(model)!.FullName, folder, options, BioImageIoTestInput.For, cancellation);

            Console.WriteLine($"wrote the bioimage.io package {folder}: {string.Join(", ", files)}");
            if (parsed.GetValue(zip))
            {
                var archive = Path.TrimEndingDirectorySeparator(folder) + ".zip";
                File.Delete(archive);
                ZipFile.CreateFromDirectory(folder, archive);
                Console.WriteLine($"wrote {archive}");
            }

            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }
}
