using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers.Protocol;

/// <summary>
/// A claim on computing one stack: predictions/{batch}/{stack}/lease.json, renewed while the attempt computes. A
/// duplicate delivered meanwhile sees a fresh lease and steps back (<see cref="StackInProgressException"/>, the
/// message returns to the queue and finds the manifest later) instead of computing the stack a second time. A
/// lease not renewed for <see cref="StaleAfter"/> belongs to an attempt that died and is taken over. Leases only
/// save work: correctness rests on the manifest, which two attempts can never both create.
/// </summary>
public sealed class StackLease : IAsyncDisposable
{
    /// <summary>How often a held lease is renewed.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>A lease older than this is abandoned (three renewals missed, clock skew included).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private readonly IBlobStore _store;
    private readonly BlobLocation _location;
    private readonly byte[] _content;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private StackLease(IBlobStore store, BlobLocation location, byte[] content)
    {
        _store = store;
        _location = location;
        _content = content;
        _renewal = RenewAsync();
    }

    /// <summary>Takes the stack's lease, or throws <see cref="StackInProgressException"/> while another attempt holds a fresh one.</summary>
    public static async Task<StackLease> TakeAsync(IBlobStore store, BlobLocation location, string attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var content = JsonSerializer.SerializeToUtf8Bytes(new { attempt, host = Environment.MachineName, takenAt = DateTimeOffset.UtcNow });
        if (!await store.TryCreateAsync(location, content, "application/json", cancellationToken: cancellationToken))
        {
            var held = await HeldSinceAsync(store, location, cancellationToken);
            if (held is { } renewed && DateTimeOffset.UtcNow - renewed < StaleAfter)
            {
                throw new StackInProgressException(location, renewed);
            }

            // Abandoned (or gone meanwhile): take it over.
            using var replacement = new MemoryStream(content, writable: false);
            await store.UploadAsync(location, replacement, "application/json", overwrite: true, cancellationToken: cancellationToken);
        }

        return new StackLease(store, location, content);
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
            // Stale in StaleAfter; nothing depends on its removal.
        }
    }

    private static async Task<DateTimeOffset?> HeldSinceAsync(IBlobStore store, BlobLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.GetPropertiesAsync(location, cancellationToken)).LastModified;
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(RenewEvery);
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
