using System.Globalization;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Consumers;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>`labelfree demo --quick` through the real executable: the README's first command, end to end in one process.</summary>
public sealed class DemoVerbTests : IDisposable
{
    private static readonly string[] Structures = ["dna", "membrane"];

    private readonly string _folder = TestEnvironment.NewTempFolder("cli-demo");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Quick_demo_predicts_every_stack_of_the_batch_into_the_local_store_and_prints_the_results()
    {
        var output = Path.Combine(_folder, "demo");

        // About 15 s on an idle 2-core machine; the limit only stops a hang (a loaded CI machine took over 90 s).
        var result = LabelFreeProcess.Run(TimeSpan.FromMinutes(5), "demo", "--quick", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(Structures, s => Assert.Contains($"r {s}", result.Output, StringComparison.Ordinal));
        var inputs = Directory.GetFiles(Path.Combine(output, "batch"), "*.ome.tiff");
        Assert.True(inputs.Length >= 3, result.ToString());
        var predictionsRoot = Path.Combine(output, "store", "labelfree", "predictions");
        var batch = Assert.Single(Directory.GetDirectories(predictionsRoot));
        var sawTimeSeries = false;
        foreach (var input in inputs)
        {
            var stackId = Path.GetFileName(input)[..^".ome.tiff".Length];
            var row = Assert.Single(result.Output.Split('\n'), line => line.TrimStart().StartsWith(stackId + " ", StringComparison.Ordinal));
            var folder = Path.Combine(batch, stackId) + Path.DirectorySeparatorChar;
            var prediction = Assert.Single(result.Output.Split('\n'), line => line.Trim().StartsWith(folder, StringComparison.Ordinal)).Trim();
            Assert.EndsWith("prediction.ome.tiff", prediction, StringComparison.Ordinal);

            var source = HyperstackFile.Read(input);
            var predicted = HyperstackFile.Read(prediction);
            Assert.Equal(Structures, predicted.ChannelNames);
            Assert.Equal((source.Shape.T, source.Shape.Z, source.Shape.Y, source.Shape.X), (predicted.Shape.T, predicted.Shape.Z, predicted.Shape.Y, predicted.Shape.X));
            sawTimeSeries |= source.Shape.T > 1;

            var manifest = StackManifest.Parse(File.ReadAllBytes(Path.Combine(batch, stackId, "manifest.json")), stackId);
            Assert.Equal(Structures, manifest.Channels.OrderBy(c => c.Index).Select(c => c.Structure));
            if (stackId.StartsWith("qc-", StringComparison.Ordinal))
            {
                // Quality-control stacks name their fluorescence channels as ground truth: r per structure, shown in the table.
                Assert.All(manifest.Channels, c =>
                {
                    Assert.True(c.PearsonR is >= -1 and <= 1, $"{stackId} {c.Structure}: r = {c.PearsonR}");
                    Assert.Contains(c.PearsonR!.Value.ToString("0.000", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
                });
            }
            else
            {
                Assert.All(manifest.Channels, c => Assert.Null(c.PearsonR));
            }
        }

        Assert.True(sawTimeSeries, "the batch holds a time series");
        Assert.Contains(inputs, i => Path.GetFileName(i).StartsWith("qc-", StringComparison.Ordinal));
        var events = File.ReadAllLines(Path.Combine(output, "events.jsonl"))
            .Select(line => JsonSerializer.Deserialize<StackPredicted>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
        Assert.Equal(
            inputs.Select(i => Path.GetFileName(i)[..^".ome.tiff".Length]).Order(StringComparer.Ordinal),
            events.Select(e => e.StackId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_holding_an_earlier_run_is_refused_with_a_usage_error()
    {
        File.WriteAllText(Path.Combine(_folder, "earlier.txt"), "an earlier run");

        var result = LabelFreeProcess.Run("demo", "--quick", "--out", _folder);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not empty", result.Error, StringComparison.Ordinal);
    }
}
