using System.Diagnostics;
using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>`labelfree submit --wait` and `labelfree batch-status` run as a user runs them, against a running worker.</summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class OperatorVerbTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    [SkippableFact]
    public async Task Submit_waits_for_each_result_and_batch_status_reports_done_and_rejected_stacks()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var folder = TestEnvironment.NewTempFolder("labelfree-submit");
        try
        {
            var good = Path.Combine(folder, "well A1.ome.tiff");
            var bad = Path.Combine(folder, "well-A2.tif");
            await File.WriteAllBytesAsync(good, TestStacks.OmeTiff());
            await File.WriteAllTextAsync(bad, "not an image");

            var submit = await RunAsync(bed, folder, "submit", good, bad, "--batch", "plate-7", "--structures", "dna", "--wait", "--timeout", "60");
            var status = await RunAsync(bed, folder, "batch-status", "plate-7", "--json");

            Assert.Equal(1, submit.ExitCode);
            var lines = submit.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            Assert.Equal(2, lines.Length);
            var predicted = Assert.Single(lines, l => l.GetProperty("event").GetString() == "StackPredicted");
            var rejected = Assert.Single(lines, l => l.GetProperty("event").GetString() == "StackRejected");
            Assert.StartsWith("well-A1-", predicted.GetProperty("stackId").GetString(), StringComparison.Ordinal);
            Assert.Equal("dna", Assert.Single(predicted.GetProperty("channels").EnumerateArray()).GetProperty("structure").GetString());
            Assert.Equal("well-A2", rejected.GetProperty("stackId").GetString());
            Assert.Equal("NotATiff", rejected.GetProperty("reason").GetString());

            Assert.Equal(0, status.ExitCode);
            var report = JsonDocument.Parse(status.Output).RootElement;
            Assert.Equal((1, 1, 0), (report.GetProperty("done").GetInt32(), report.GetProperty("rejected").GetInt32(), report.GetProperty("pending").GetInt32()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Submit_without_a_broker_configured_explains_what_to_set()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var folder = TestEnvironment.NewTempFolder("labelfree-submit");
        try
        {
            var file = Path.Combine(folder, "s.tif");
            await File.WriteAllBytesAsync(file, TestStacks.OmeTiff());
            bed.Settings["LabelFree:Broker:Url"] = "";

            var result = await RunAsync(bed, folder, "submit", file, "--batch", "b");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("LabelFree:Broker:Url", result.Errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Serve_with_an_invalid_setting_exits_with_a_message_naming_it()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var folder = TestEnvironment.NewTempFolder("labelfree-serve");
        try
        {
            bed.Settings["LabelFree:Broker:Concurrency"] = "0";

            var result = await RunAsync(bed, folder, "serve");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("LabelFree:Broker:Concurrency must be between 1 and 64, got 0", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(WorkerTestBed bed, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "labelfree.dll"), .. arguments])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in bed.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!await ChildProcesses.WaitForExitAsync(process, TimeSpan.FromSeconds(90)))
        {
            process.Kill();
            throw new TimeoutException($"labelfree {string.Join(' ', arguments)} did not finish:\n{await output}\n{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
