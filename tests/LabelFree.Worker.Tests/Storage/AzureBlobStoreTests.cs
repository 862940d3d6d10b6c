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

    [SkippableFact]
    public async Task A_rotated_account_key_is_reported_as_access_denied_without_retrying()
    {
        var retries = new List<StorageRetry>();
        var connection = azurite.RequireConnectionString();
        var key = System.Text.RegularExpressions.Regex.Match(connection, "AccountKey=([^;]+)").Groups[1].Value;
        var rotated = connection.Replace(key, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var store = new AzureBlobStore(AzureBlobStore.CreateServiceClient(rotated, FastRetries.RequestTimeout), Policy,
            StorageResilience.Build(FastRetries, retries.Add));

        var error = await Assert.ThrowsAsync<StorageAccessDeniedException>(() =>
            store.ReadAllBytesAsync(new Messages.BlobLocation { Container = Inputs, Name = "plate-1/well-A1.ome.tiff" }));

        Assert.Equal(403, error.Status);
        Assert.Equal("read", error.Operation);
        Assert.Empty(retries);
        Assert.DoesNotContain(Convert.ToBase64String(new byte[64]), error.Message, StringComparison.Ordinal);
    }

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
