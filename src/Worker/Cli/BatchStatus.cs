using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Cli;

/// <summary>
/// Where every stack of a batch stands, read from storage alone: a manifest means done, a rejection record
/// (and no manifest) means rejected, a submission marker with neither means pending.
/// </summary>
public sealed record BatchStatus(string BatchId, IReadOnlyList<StackStatus> Stacks)
{
    public int Done => Stacks.Count(s => s.State == StackState.Done);

    public int Rejected => Stacks.Count(s => s.State == StackState.Rejected);

    public int Pending => Stacks.Count(s => s.State == StackState.Pending);

    public static async Task<BatchStatus> ReadAsync(IBlobStore store, PredictionLayout layout, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layout);
        var prefix = layout.BatchPrefix(batchId);
        var blobs = await store.ListAsync(layout.OutputContainer, prefix, cancellationToken);
        var stacks = new List<StackStatus>();
        foreach (var folder in blobs.GroupBy(b => StackOf(b.Location.Name, prefix)).Where(g => g.Key is not null).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var files = folder.Select(b => b.Location.Name[(prefix.Length + folder.Key!.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
            if (files.Contains(PredictionLayout.ManifestFileName))
            {
                stacks.Add(new StackStatus(folder.Key!, StackState.Done, null, null));
            }
            else if (files.Contains(PredictionLayout.RejectionFileName))
            {
                var bytes = await store.ReadAllBytesAsync(layout.Rejection(batchId, folder.Key!), cancellationToken);
                var rejection = JsonSerializer.Deserialize<StackRejected>(bytes, RecordJson.Options);
                stacks.Add(new StackStatus(folder.Key!, StackState.Rejected, rejection?.Reason, rejection?.Message));
            }
            else if (files.Contains(StackSubmission.MarkerFileName))
            {
                stacks.Add(new StackStatus(folder.Key!, StackState.Pending, null, null));
            }
        }

        return new BatchStatus(batchId, stacks);
    }

    private static string? StackOf(string name, string prefix)
    {
        var rest = name[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : null;
    }
}

/// <summary>One stack of a batch.</summary>
public sealed record StackStatus(string StackId, StackState State, RejectionReason? Reason, string? Message);

/// <summary>Done (manifest written), rejected (rejection record, no manifest) or pending (submitted, neither yet).</summary>
public enum StackState
{
    Pending,
    Done,
    Rejected,
}
