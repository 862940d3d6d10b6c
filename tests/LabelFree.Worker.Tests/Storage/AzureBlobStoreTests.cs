using Azure.Storage.Blobs;
using LabelFree.Worker.Storage;
using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.Storage;

/// <summary>The blob-store contract against the real Azure Blob API (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteBlobService azurite) : BlobStoreContractTests
{
    internal static readonly StorageResilienceOptions FastRetries = new()
    {
        MaxRetryAttempts = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(60),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    protected override IBlobStore CreateStore() => new AzureBlobStore(
        AzureBlobStore.CreateServiceClient(azurite.RequireConnectionString(), FastRetries.RequestTimeout),
        Policy,
        StorageResilience.Build(FastRetries));

    public override async Task DisposeAsync()
    {
        if (azurite.ConnectionString is null)
        {
            return;
        }

        var service = new BlobServiceClient(azurite.ConnectionString);
        foreach (var container in new[] { Inputs, Outputs, Models })
        {
            await service.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }
    }
}
