using System.Globalization;
using Spectre.Console;

namespace LabelFree.Worker.Demo;

/// <summary>
/// Prints the demo's completion events as a table (stack, shape, output channels, Pearson r per structure,
/// seconds; the reason instead of the channels for a rejected or faulted stack) followed by where each prediction
/// OME-TIFF lies in the local store.
/// </summary>
public static class DemoReport
{
    private const string None = "-";

    public static void Print(IReadOnlyList<DemoOutcome> outcomes, EmbeddedDemoWorker worker)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(worker);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("stack").NoWrap())
            .AddColumn(new TableColumn("TxZxYxX").NoWrap())
            .AddColumn(new TableColumn("channels").NoWrap());
        foreach (var structure in DemoPlan.Structures)
        {
            table.AddColumn(new TableColumn($"r {structure}").RightAligned());
        }

        table.AddColumn(new TableColumn("seconds").RightAligned());

        // The demo stops waiting at the first fault: a stack without a result then was not waited for, not late.
        var unfinished = outcomes.Any(o => o.Fault is not null) ? "no result (not waited for after the fault)" : "no result (timed out)";
        foreach (var outcome in outcomes)
        {
            table.AddRow([.. Row(outcome, unfinished).Select(Markup.Escape)]);
        }

        AnsiConsole.Write(table);
        Console.WriteLine("Pearson r: prediction against the stack's own fluorescence channels (quality-control stacks only).");
        var predicted = outcomes.Where(o => o.Predicted is not null).ToArray();
        if (predicted.Length > 0)
        {
            Console.WriteLine("predictions (OME-TIFF, one channel per structure; manifest.json in each stack's folder):");
            foreach (var outcome in predicted)
            {
                Console.WriteLine($"  {worker.PathOf(outcome.Predicted!.Output)}");
            }
        }
    }

    private static IEnumerable<string> Row(DemoOutcome outcome, string unfinished)
    {
        yield return outcome.StackId;
        if (outcome.Predicted is { } predicted)
        {
            var shape = predicted.OutputShape;
            yield return FormattableString.Invariant($"{shape.T}x{shape.Z}x{shape.Y}x{shape.X}");
            yield return string.Join(",", predicted.Channels.OrderBy(c => c.Index).Select(c => c.Structure));
            foreach (var structure in DemoPlan.Structures)
            {
                var r = predicted.Channels.FirstOrDefault(c => c.Structure == structure)?.PearsonR;
                yield return r is { } value ? value.ToString("0.000", CultureInfo.InvariantCulture) : None;
            }

            yield return predicted.Timings.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            yield break;
        }

        yield return None;
        yield return outcome switch
        {
            { Rejected: { } rejected } => $"rejected: {rejected.Reason} ({rejected.Message})",
            { Fault: { } fault } => $"faulted: {fault.Reason}",
            _ => unfinished,
        };
        foreach (var _ in DemoPlan.Structures)
        {
            yield return None;
        }

        yield return None;
    }
}
