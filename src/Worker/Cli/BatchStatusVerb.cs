using System.CommandLine;
using System.Text.Json;

namespace LabelFree.Worker.Cli;

/// <summary>`labelfree batch-status ID [--json]`: done, rejected and pending stacks of a batch, from storage.</summary>
public static class BatchStatusVerb
{
    public static Command Create()
    {
        var batch = new Argument<string>("ID") { Description = "The batch id." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("batch-status",
            "Show which stacks of a batch are done (manifest written), rejected (rejection record) or pending (submitted, no result yet).")
        {
            batch,
            json,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(
            token => RunAsync(parsed.GetValue(batch)!, parsed.GetValue(json), token), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(string batchId, bool json, CancellationToken cancellationToken)
    {
        if (!Storage.PredictionLayout.IsValidIdentifier(batchId))
        {
            throw new UsageException($"'{batchId}' is not a valid batch id.");
        }

        using var services = OperatorServices.Create();
        var status = await BatchStatus.ReadAsync(services.Store, services.Layout, batchId, cancellationToken);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(
                new { status.BatchId, status.Done, status.Rejected, status.Pending, status.Stacks }, CliJson.Options));
            return ExitCodes.Ok;
        }

        Console.WriteLine($"batch {status.BatchId}: {status.Done} done, {status.Rejected} rejected, {status.Pending} pending");
        foreach (var stack in status.Stacks)
        {
            var detail = stack.Reason is { } reason ? $" ({reason}): {stack.Message}" : "";
            Console.WriteLine($"  {stack.StackId,-40} {stack.State.ToString().ToLowerInvariant()}{detail}");
        }

        return ExitCodes.Ok;
    }
}
