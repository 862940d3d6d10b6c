using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// A claim on computing one stack: predictions/{batch}/{stack}/lease.json, renewed while the attempt computes. A
/// duplicate delivered meanwhile sees a fresh lease and steps back (<see cref="StackInProgressException"/>, the
/// message returns to the queue and finds the manifest later) instead of computing the stack a second time. A
/// lease not renewed for three renewal periods belongs to an attempt that died and is taken over; the lease counts
/// such deaths, and a stack that reaches LabelFree:Broker:MaxAbandonedAttempts is a poison message
/// (<see cref="PoisonStackException"/>). Leases only save work and stop poison: correctness rests on the manifest,
/// which two attempts can never both create.
/// </summary>
public sealed class StackLease : IAsyncDisposable
{
    private readonly IBlobStore _store;
    private readonly BlobLocation _location;
    private readonly byte[] _content;
    private readonly TimeSpan _renewEvery;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private StackLease(IBlobStore store, BlobLocation location, byte[] content, TimeSpan renewEvery)
    {
        _store = store;
        _location = location;
        _content = content;
        _renewEvery = renewEvery;
        _renewal = RenewAsync();
    }

    /// <summary>
    /// Takes the stack's lease. Throws <see cref="StackInProgressException"/> while another attempt holds a fresh
    /// one, and <see cref="PoisonStackException"/> (removing the lease, so a message moved back from the error queue
    /// starts afresh) when this would be the next attempt after <paramref name="maxAbandoned"/> that died holding it.
    /// </summary>
    public static async Task<StackLease> TakeAsync(IBlobStore store, BlobLocation location, string attempt, TimeSpan renewEvery,
        int maxAbandoned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var mine = new LeaseRecord(attempt, Environment.MachineName, DateTimeOffset.UtcNow, AbandonedAttempts: 0);
        if (!await store.TryCreateAsync(location, mine.ToJsonBytes(), "application/json", cancellationToken: cancellationToken))
        {
            if (await ReadHeldAsync(store, location, cancellationToken) is var (held, renewed))
            {
                if (DateTimeOffset.UtcNow - renewed < renewEvery * 3)
                {
                    throw new StackInProgressException(location, renewed);
                }

                // Its holder died without releasing it: one more abandoned attempt.
                if (held is not null && held.AbandonedAttempts + 1 >= maxAbandoned)
                {
                    await store.DeleteAsync(location, cancellationToken);
                    throw new PoisonStackException(location, held, renewed);
                }

                mine = mine with { AbandonedAttempts = (held?.AbandonedAttempts ?? 0) + 1 };
            }

            // Abandoned (or released meanwhile): take it over.
            using var replacement = new MemoryStream(mine.ToJsonBytes(), writable: false);
            await store.UploadAsync(location, replacement, "application/json", overwrite: true, cancellationToken: cancellationToken);
        }

        return new StackLease(store, location, mine.ToJsonBytes(), renewEvery);
    }

    /// <summary>Stops renewing and removes the lease (best effort: a lease left behind goes stale on its own).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        try
        {
            await _store.DeleteAsync(_location, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageAccessDeniedException)
        {
            // Stale after three renewal periods; nothing depends on its removal.
        }
    }

    // The lease's record (null when unreadable) and when it was last renewed; null when it is gone.
    private static async Task<(LeaseRecord? Held, DateTimeOffset Renewed)?> ReadHeldAsync(IBlobStore store, BlobLocation location,
        CancellationToken cancellationToken)
    {
        try
        {
            var renewed = (await store.GetPropertiesAsync(location, cancellationToken)).LastModified;
            return (LeaseRecord.TryParse(await store.ReadAllBytesAsync(location, cancellationToken)), renewed);
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(_renewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                using var content = new MemoryStream(_content, writable: false);
                await _store.UploadAsync(_location, content, "application/json", overwrite: true, cancellationToken: _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageAccessDeniedException)
        {
            // A missed renewal at worst lets a duplicate compute too; the manifest still decides.
        }
    }
}
