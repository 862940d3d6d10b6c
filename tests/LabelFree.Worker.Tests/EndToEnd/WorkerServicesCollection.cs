using LabelFree.Worker.Tests.TestServices;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// Tests that run a whole worker (against the real broker and blob service, or embedded), one at a time:
/// workers compete for the two cores, and the worker meter is process-wide.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerServicesCollection : ICollectionFixture<RabbitMqBroker>, ICollectionFixture<AzuriteBlobService>
{
    public const string Name = "Worker against RabbitMQ and Azurite";
}
