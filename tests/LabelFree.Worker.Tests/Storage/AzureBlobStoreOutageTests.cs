using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using LabelFree.Messages;
using LabelFree.Worker.Storage;
using Polly.CircuitBreaker;

namespace LabelFree.Worker.Tests.Storage;

/// <summary>Storage that does not answer: the worker must retry a bounded number of times, then say "unavailable".</summary>
public class AzureBlobStoreOutageTests
{
    private const string Container = "inputs";

    private static readonly BlobLocation Input = new() { Container = Container, Name = "plate-1/well-A1.tif" };

    [Fact]
    public async Task An_unreachable_account_gives_storage_unavailable_after_the_configured_retries()
    {
        var retries = new List<StorageRetry>();
        var options = new StorageResilienceOptions
        {
            MaxRetryAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = TimeSpan.FromSeconds(5),
            CircuitMinimumThroughput = 100,
        };
        var store = StoreWithNothingListening(options, retries);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ReadAllBytesAsync(Input));

        clock.Stop();
        Assert.Equal([0, 1, 2], retries.Select(r => r.AttemptNumber));
        Assert.All(retries, r => Assert.Equal("read", r.Operation));
        Assert.All(retries, r => Assert.True(TransientStorageFault.IsTransient(r.Fault!, CancellationToken.None)));
        Assert.Equal("read", error.Operation);
        Assert.Equal(Input.ToString(), error.Target);
        var refused = Assert.IsType<RequestFailedException>(error.InnerException);
        Assert.Equal(0, refused.Status);

        // Connection refused is immediate: four attempts and three short delays, no SDK retries hidden inside.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Once_the_circuit_opens_calls_fail_at_once_without_retrying()
    {
        var retries = new List<StorageRetry>();
        var options = new StorageResilienceOptions
        {
            MaxRetryAttempts = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(10),
            CircuitMinimumThroughput = 2,
            CircuitFailureRatio = 0.5,
            CircuitSamplingDuration = TimeSpan.FromSeconds(30),
            CircuitBreakDuration = TimeSpan.FromSeconds(30),
        };
        var store = StoreWithNothingListening(options, retries);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ExistsAsync(Input));
        var retriesBefore = retries.Count;

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ExistsAsync(Input));

        Assert.Equal(1, retriesBefore);
        Assert.Equal(retriesBefore, retries.Count);
        Assert.IsAssignableFrom<BrokenCircuitException>(error.InnerException);
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_reported_as_an_outage()
    {
        var store = StoreWithNothingListening(new StorageResilienceOptions { RetryBaseDelay = TimeSpan.FromSeconds(10) }, []);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadAllBytesAsync(Input, cancellation.Token));
    }

    private static AzureBlobStore StoreWithNothingListening(StorageResilienceOptions options, List<StorageRetry> retries)
    {
        var connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{UnusedPort()}/devstoreaccount1;";
        return new AzureBlobStore(
            AzureBlobStore.CreateServiceClient(connectionString, options.RequestTimeout),
            new BlobLocationPolicy([new StorageArea(Container, "")]),
            StorageResilience.Build(options, retry =>
            {
                lock (retries)
                {
                    retries.Add(retry);
                }
            }));
    }

    // A port the kernel just handed out and we released: nothing listens there.
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
