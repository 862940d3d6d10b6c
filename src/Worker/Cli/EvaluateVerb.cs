using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Training;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree evaluate`: Pearson r per test image (and C_max from controls) for a model bundle.</summary>
public static class EvaluateVerb
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model bundle folder.", Required = true }.AcceptExistingOnly();
        var pairs = new Option<FileInfo>("--pairs") { Description = "CSV of (signal, target) pairs to score, e.g. the test.csv of a training run.", Required = true }.AcceptExistingOnly();
        var controls = new Option<DirectoryInfo?>("--controls") { Description = "Folder of control images (same settings, no label): adds C_max per image and its mean." };
        var output = new Option<FileInfo>("--out") { Description = "The report JSON; a CSV with one row per image is written beside it.", Required = true };
        var threads = new Option<int>("--threads") { Description = "CPU threads for libtorch.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("evaluate", "Score a structure model on held-out pairs: Pearson r per image, C_max when controls are given, median and quartiles.")
        {
            model, pairs, controls, output, threads,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() =>
        {
            var pairList = PairsCsv.Read(parsed.GetValue(pairs)!.FullName);
            double? noise = parsed.GetValue(controls) is { } folder ? ControlImages.NoiseVariance(folder.FullName) : null;
            VerbCompute.Require(parsed.GetValue(threads), ComputePath.Float32Inference);
            using var predictor = new StructurePredictor(ModelBundle.Load(parsed.GetValue(model)!.FullName),
                new PredictionOptions { Threads = parsed.GetValue(threads) });
            var report = ModelEvaluation.Evaluate(predictor, pairList, noise,
                new InlineProgress<ImageEvaluation>(i => Console.WriteLine(Line(i))), cancellation);

            var json = parsed.GetValue(output)!.FullName;
            File.WriteAllText(json, JsonSerializer.Serialize(report, CliJson.Options));
            var csv = Path.ChangeExtension(json, ".csv");
            File.WriteAllText(csv, report.ToCsv());
            if (report.PearsonSummary is { } s)
            {
                Console.WriteLine(
                    FormattableString.Invariant($"{report.Structure}: n = {s.Count}, median r = {s.Median:0.0000}, quartiles {s.LowerQuartile:0.0000}-{s.UpperQuartile:0.0000}") +
                    (report.CMax?.MeanCMax is { } cmax ? FormattableString.Invariant($", mean C_max = {cmax:0.0000}") : string.Empty));
            }

            Console.WriteLine($"wrote {json} and {csv}");
            return ExitCodes.Ok;
        }, cancellation));
        return command;
    }

    private static string Line(ImageEvaluation image) =>
        FormattableString.Invariant($"{image.Image}: r = {(image.PearsonR is { } r ? r.ToString("0.0000", CultureInfo.InvariantCulture) : "undefined (" + image.UndefinedReason + ")")}") +
        (image.CMax is { } c ? FormattableString.Invariant($", C_max = {c:0.0000}") : string.Empty);
}
