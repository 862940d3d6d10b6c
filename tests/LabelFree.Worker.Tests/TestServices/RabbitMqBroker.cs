using DotNet.Testcontainers.Builders;
using Testcontainers.RabbitMq;

namespace LabelFree.Worker.Tests.TestServices;

/// <summary>
/// The real RabbitMQ broker for integration tests: the private node ./test.sh started (RABBITMQ_URL),
/// else a Testcontainers broker where a Docker engine exists, else none (tests skip, or fail under CI).
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private RabbitMqContainer? _container;
    private string? _unavailableReason;

    public Uri? AmqpUri { get; private set; }

    /// <summary>Where the broker came from, for test output.</summary>
    public string Source { get; private set; } = "none";

    /// <summary>The broker's AMQP address; skips or fails the calling test when there is none.</summary>
    public Uri RequireAmqpUri()
    {
        if (AmqpUri is null)
        {
            ServiceAvailability.Missing(_unavailableReason ?? "no RabbitMQ broker");
        }

        return AmqpUri!;
    }

    public async Task InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (!string.IsNullOrWhiteSpace(url))
        {
            AmqpUri = new Uri(url);
            Source = "RABBITMQ_URL (private node started by ./test.sh)";
            return;
        }

        try
        {
            _container = new RabbitMqBuilder("rabbitmq:3.13-management-alpine").Build();
            await _container.StartAsync();
            AmqpUri = new Uri(_container.GetConnectionString());
            Source = "Testcontainers";
        }
        catch (DockerUnavailableException ex)
        {
            _unavailableReason = "RABBITMQ_URL is not set (run ./test.sh) and no Docker engine is available: " +
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
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "RabbitMQ broker";
}
