using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace LabelFree.Worker.Tests.TestServices;

/// <summary>
/// The real Azure Blob API for integration tests: the Azurite that ./test.sh started
/// (AZURE_BLOB_CONNECTION_STRING), else an Azurite container where a Docker engine exists,
/// else none (tests skip, or fail under CI).
/// </summary>
public sealed class AzuriteBlobService : IAsyncLifetime
{
    private const int BlobPort = 10000;

    // Azurite's published development account (documented by Microsoft; not a secret).
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private IContainer? _container;
    private string? _unavailableReason;

    public string? ConnectionString { get; private set; }

    public string Source { get; private set; } = "none";

    /// <summary>The connection string; skips or fails the calling test when there is no blob service.</summary>
    public string RequireConnectionString()
    {
        if (ConnectionString is null)
        {
            ServiceAvailability.Missing(_unavailableReason ?? "no Azurite blob service");
        }

        return ConnectionString!;
    }

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("AZURE_BLOB_CONNECTION_STRING");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            ConnectionString = fromEnvironment;
            Source = "AZURE_BLOB_CONNECTION_STRING (Azurite started by ./test.sh)";
            return;
        }

        try
        {
            _container = new ContainerBuilder("mcr.microsoft.com/azure-storage/azurite:3.35.0")
                .WithCommand("azurite-blob", "--blobHost", "0.0.0.0", "--skipApiVersionCheck", "--loose")
                .WithPortBinding(BlobPort, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(BlobPort))
                .Build();
            await _container.StartAsync();
            var port = _container.GetMappedPublicPort(BlobPort);
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                $"AccountKey={DevelopmentAccountKey};BlobEndpoint=http://{_container.Hostname}:{port}/devstoreaccount1;";
            Source = "Testcontainers";
        }
        catch (DockerUnavailableException ex)
        {
            _unavailableReason = "AZURE_BLOB_CONNECTION_STRING is not set (run ./test.sh) and no Docker engine is available: " +
                ex.Message.Split('\n')[0];
        }
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteBlobService>
{
    public const string Name = "Azurite blob service";
}
