using LabelFree.Messages;

namespace LabelFree.Worker.Tests.TestSupport;

/// <summary>
/// Stages the race of two workers on one stack, both past the lease (as after a lease went stale and was taken
/// over): whichever reaches its manifest create first is held there until
/// the other has uploaded its outputs (so the other has passed its last manifest check with outputs of its own in
/// storage), then creates the manifest and wins.
/// </summary>
internal sealed class ManifestRace
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly TaskCompletionSource[] _uploaded = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
    private int _first = -1;

    /// <summary>The worker (0 or 1) that was held and won, once one reached its manifest create.</summary>
    public int Winner => _first;

    /// <summary>Installs worker <paramref name="worker"/>'s side of the race into its staged store.</summary>
    public void Join(StagedBlobStore store, int worker)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.GrantEveryLease = true;
        store.AfterOutputUpload = _ => _uploaded[worker].TrySetResult();
        store.BeforeManifestCreate = async (BlobLocation _) =>
        {
            if (Interlocked.CompareExchange(ref _first, worker, -1) == -1)
            {
                await _uploaded[1 - worker].Task.WaitAsync(Patience);
            }
        };
    }
}
